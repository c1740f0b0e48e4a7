// One v3 client call: the request built once (the v3 builders), an Authorization signed per
// attempt over the SAME method, URL and body, sent, and the answer's Wechatpay-Signature
// verified before anything in it is believed; repeated only as js/client/retry.js allows.
// `c` is the client's context (see client.js).
import { WxPayError, isPlainObject } from '../core/index.js';
import { withRetries } from '../client/retry.js';
import { sameField } from '../client/fields.js';
import { platformKey, verifyWith } from './client-keys.js';
import { NO_BODY } from './generic-request.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** A 2xx body: a JSON object, else INVALID_JSON. */
function jsonOf(bytes) {
  try {
    const v = JSON.parse(decoder.decode(bytes));
    if (isPlainObject(v)) return v;
  } catch {
    /* below */
  }
  throw new WxPayError('INVALID_JSON', 'the answer is not a JSON object');
}

/**
 * An answer: 2xx verified and parsed (an empty one is `empty`); a signed error verified, then
 * thrown as WeChat's code; an unsigned 5xx is a gateway's (outcome unknown). The merchant
 * and app the answer names, direct (`mchid`, `appid`) or as a service provider (`sp_mchid`,
 * `sp_appid`), must be the client's: an answer about another merchant is no answer to us.
 */
async function answerV3(c, r, expect, empty = {}) {
  const { v3 } = c;
  const signed = r.headers['wechatpay-signature'] !== undefined;
  if (r.status >= 200 && r.status < 300) {
    await verifyWith(c, (publicKeys) => v3.verifySignature(r.body, r.headers, { publicKeys }));
    if (r.body.byteLength === 0) return empty;
    const json = jsonOf(r.body);
    sameField(json, 'mchid', c.mchId, 'MCH_ID_MISMATCH');
    sameField(json, 'sp_mchid', c.mchId, 'MCH_ID_MISMATCH');
    sameField(json, 'appid', c.appid, 'APPID_MISMATCH');
    sameField(json, 'sp_appid', c.appid, 'APPID_MISMATCH');
    if (expect) expect(json);
    return json;
  }
  if (!signed && r.status >= 500)
    throw new WxPayError(
      'NETWORK_ERROR',
      `HTTP ${r.status} without a WeChat Pay signature (a gateway between here and WeChat)`,
      { retryable: true, httpStatus: String(r.status) },
    );
  if (signed) await verifyWith(c, (publicKeys) => v3.verifySignature(r.body, r.headers, { publicKeys }));
  throw await v3.parseErrorResponse(r.status, r.body);
}

/**
 * `built` (a promise of { method, url, body }) sent with retries; expect(json) judges a 2xx,
 * resolve() a lost answer (null: a creating call no query can settle, whose lost answer is
 * surfaced as an unknown outcome). Every request but the certificate download names the
 * platform key in use in Wechatpay-Serial (`serial`: the one that encrypted a field in it).
 */
function requestV3(c, api, built, { resolve, expect, ref, serial, empty } = {}) {
  const { v3, mchId, serialNo, privateKey } = c;
  return built.then(async (req) => {
    const wechatpaySerial = serial ?? (api === 'certificates' ? undefined : (await platformKey(c)).serial);
    return withRetries({
      api,
      ref,
      retries: c.retries,
      backoffMs: c.backoffMs,
      emit: c.emit,
      resolve,
      send: async () => {
        // A fresh timestamp and nonce per attempt, over the same method, URL and body.
        const authorization = await v3.authorization({
          mchId,
          serialNo,
          privateKey,
          method: req.method,
          url: req.url,
          body: req.body,
        });
        const headers = { authorization, accept: 'application/json', 'user-agent': 'wxpay-wasm' };
        if (wechatpaySerial !== undefined) headers['wechatpay-serial'] = wechatpaySerial;
        const hasBody = !NO_BODY.has(req.method) && req.body !== '';
        if (hasBody) headers['content-type'] = 'application/json';
        const r = await c.transport.send({
          method: req.method,
          url: `${c.baseUrl}${req.url}`,
          headers,
          body: hasBody ? req.body : undefined,
        });
        return answerV3(c, r, expect, empty);
      },
    });
  });
}

/**
 * One call to any v3 path (issue 27), for every client module: `url` already built (see
 * generic-request.js); reading calls (GET) are repeated by the retry table; a creating call
 * (POST, PUT, PATCH, DELETE) is settled by `resolve` when its answer is lost, and without one
 * is never sent twice blind: its lost answer is surfaced as an unknown outcome. An empty 2xx
 * (204) is `null`. `serial`: the platform key a field of the body was encrypted with.
 */
function callV3(c, { method, url, body, api, resolve, expect, ref, serial }) {
  const creating = method !== 'GET';
  return requestV3(c, api, Promise.resolve({ method, url, body: body ?? '' }), {
    resolve: creating ? (resolve ?? null) : undefined,
    expect,
    ref,
    serial,
    empty: null,
  });
}

export { jsonOf, answerV3, requestV3, callV3 };
