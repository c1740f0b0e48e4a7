// What a v3 merchant sends: the Authorization header of a request, the request itself
// (method, URL, JSON body) for each endpoint, the mini-program's `wx.requestPayment`
// object, and the error a non-2xx answer means. The core builds and checks
// (src/wasm/v3.rs over src/v3/auth.rs, builders.rs, pay.rs, errors.rs); the host signs.
import { rethrow, describe } from '../core/index.js';
import { bodyBytes, checkOptions, fail, optional, requirePrivateKey, required, seconds, str } from './args.js';
import { base64 } from './crypto.js';
import { signBytes } from './keys.js';
import { call, tuple, wasm } from './wasm.js';
import { genericRequest } from './generic-request.js';

export async function authorization(opts) {
  const o = checkOptions('authorization', opts);
  const mchId = required(o, 'mchId');
  const serialNo = required(o, 'serialNo');
  const args = [
    required(o, 'method'),
    required(o, 'url'),
    o.body === undefined ? '' : str(o.body, 'body'),
    seconds(o.timestamp, 'timestamp'),
    optional(o, 'nonce'),
  ];
  const privateKey = requirePrivateKey(o);
  const { message, timestamp, nonce } = tuple('v3AuthPrepare', ...args);
  const signature = base64(await signBytes(privateKey, message));
  return call(() => wasm.v3AuthHeader(mchId, serialNo, timestamp, nonce, signature));
}

export async function requestPaymentParams(opts) {
  const o = checkOptions('requestPaymentParams', opts);
  const appId = required(o, 'appId');
  const args = [appId, required(o, 'prepayId'), seconds(o.timeStamp, 'timeStamp'), optional(o, 'nonceStr')];
  const privateKey = requirePrivateKey(o);
  const { message, timeStamp, nonceStr, package: pkg } = tuple('v3PayPrepare', ...args);
  const paySign = base64(await signBytes(privateKey, message));
  return { appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

/**
 * A builder's `allowLoopbackHttp` (src/v3/builders.rs Options): accept an `http://`
 * notify_url on 127.x.y.z, localhost or [::1], for the mock on a laptop.
 */
function loopbackHttp(fn, options) {
  if (options === undefined) return false;
  const { allowLoopbackHttp = false } = checkOptions(fn, options);
  if (typeof allowLoopbackHttp !== 'boolean') {
    throw fail(
      'INVALID_PARAM',
      `${fn}: option \`allowLoopbackHttp\` must be true or false, got ${describe(allowLoopbackHttp)}`,
      'allowLoopbackHttp',
    );
  }
  return allowLoopbackHttp;
}

/** A request builder: the params object as JSON, the core validates and builds `{ method, url, body }`. */
function build(kind, params, allowLoopbackHttp = false) {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw fail('INVALID_PARAM', `the request fields must be a plain object, got ${describe(params)}`);
  }
  let json;
  try {
    json = JSON.stringify(params);
  } catch {
    throw fail('INVALID_PARAM', 'the request fields cannot be written as JSON (a cycle or a BigInt)');
  }
  return call(() => JSON.parse(wasm.v3BuildRequest(kind, json, allowLoopbackHttp)));
}

export const buildJsapiOrder = async (order, options) =>
  build('jsapi', order, loopbackHttp('buildJsapiOrder', options));
export const buildQueryByOutTradeNo = async (query) => build('queryByOutTradeNo', query);
export const buildQueryById = async (query) => build('queryById', query);
export const buildCloseOrder = async (order) => build('close', order);
export const buildRefund = async (refund, options) => build('refund', refund, loopbackHttp('buildRefund', options));
export const buildRefundQuery = async (query) => build('refundQuery', query);

/**
 * Any v3 path (issue 27): `{ method, url, body }` with `url` a `/v3/…` path as it is signed
 * and sent, or a spec template filled from `params` (each value percent-encoded into its
 * segment) with `query` appended in its key order; `body` a plain object or array as JSON.
 * Checked in JS (js/v3/generic-request.js, shared with the client): the core's builders
 * know six endpoints, this one knows none, so nothing about the fields is checked.
 */
export const buildRequest = async (method, url, body, options) =>
  genericRequest('buildRequest', method, url, body, options);

/**
 * The WxPayError a non-2xx answer means (returned, not thrown): RESULT_FAIL with
 * `errCode`, `errMessage`, `httpStatus`, `retryable` for WeChat's `{ code, message,
 * detail }`, RETURN_FAIL for anything else (a proxy's HTML page, an empty 502).
 */
export async function parseErrorResponse(status, body) {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw fail('INVALID_PARAM', `status must be an HTTP status code, got ${describe(status)}`, 'status');
  }
  const e = wasm.v3ParseErrorResponse(status, bodyBytes(body));
  try {
    return rethrow(e);
  } catch (err) {
    return err;
  }
}
