// The v2 API over the raw wasm exports (built from src/wasm/v2.rs). scripts/build-pkg.mjs
// bundles it into the CommonJS, ESM and browser entries, each importing the shared core
// (js/core: WxPayError, strict options, bodies, the string protocol) from pkg/core/.
// Its job is the boundary's other half: check arguments, hand parameter objects to wasm as
// a field list (JSON when the list cannot carry them; see withFields) and options as JSON,
// and turn the errors wasm throws into WxPayError instances.
import {
  CONTRACT, ERROR_CODES, WxPayError, rethrow, describe, isPlainObject, withFields, params, options, str,
  strictOptions, body, text as textBody, wasmStrings, LIMITS,
} from '../core/index.js';
import ERR_CATALOGUE from '../errcodes.json' with { type: 'json' };
import { createV2Client } from './client.js';

/** What diagnoseSign can blame, in the order it tries them. */
const DIAGNOSIS_CAUSES = Object.freeze(CONTRACT.causes.map((c) => c.cause));
/** Each cause explained in English, by cause id (the debugging page shows these). */
const DIAGNOSIS_TEXTS = Object.freeze(Object.fromEntries(CONTRACT.causes.map((c) => [c.cause, c.en])));
/** Endpoint paths under https://api.mch.weixin.qq.com, by API name. */
const API_PATHS = Object.freeze(Object.fromEntries(CONTRACT.endpoints.v2.map((e) => [e.name, e.path])));
/** APIs whose HTTPS request must present the merchant's client certificate. */
const CLIENT_CERT_APIS = Object.freeze(CONTRACT.endpoints.v2.filter((e) => e.clientCert).map((e) => e.name));

/** Refuses option names the contract does not list for the function. */
const check = strictOptions(CONTRACT.functions.v2);

// js/errcodes.json is written from src/v2/errcodes.rs (a cargo test keeps the two equal);
// the wasm keeps only each code's `retryable`, so the prose is not shipped twice.
const errCodeInfo = (code) => ERR_CATALOGUE.find((e) => e.code === code);
const copyInfo = (e) => ({ ...e, apis: [...e.apis] });
/** A RESULT_FAIL with a documented err_code says what it means and what to do. */
const resultHint = (e) => {
  const info = e.code === 'RESULT_FAIL' && errCodeInfo(e.errCode);
  return info ? `(${info.en}. ${info.action})` : '';
};

/**
 * The `wx.requestPayment` object from `pay_params_wire` (src/wasm/wire.rs): six values after
 * a U+0000 each, split here because that is cheaper than JSON.parse; JSON when a value holds
 * U+0000 itself.
 */
function payParams(s) {
  if (s[0] !== '\0') return JSON.parse(s);
  const [, appId, timeStamp, nonceStr, pkg, signType, paySign] = s.split('\0');
  return { appId, timeStamp, nonceStr, package: pkg, signType, paySign };
}

/** The option `maxBytes` if `opts` is an object that has it (checked again by the core). */
const maxBytesOf = (opts) => (isPlainObject(opts) ? opts.maxBytes : undefined);

/**
 * `raw`: the v2 wasm's exports. `diagnosis`: returns the diagnosis wasm's exports (its own
 * wasm, src/wasm/diagnose.rs), loading it in Node, or throws where it must be loaded first
 * (browsers and Workers: `initDiagnose()`).
 */
function createApi(raw, diagnosis) {
  const call = (f) => { try { return f(); } catch (e) { return rethrow(e, resultHint); } };
  const io = wasmStrings(raw);
  // Calls an export that takes string arguments and returns a string.
  const text = (fn, ...args) => io.take(raw[fn](...io.put(args)));
  const opt = (o, fn) => options(o, check, fn);
  // A builder: the fields as a field list (see withFields), then the options.
  const build = (fn, fields, what, opts) => withFields(fields, what, (list) => text(fn, list, opt(opts, fn)));
  // One reply parser serves the unified order and every other API.
  const reply = (fn) => (xml, opts) => call(() => JSON.parse(text('parseResponse', body(xml, 'xml'), opt(opts, fn))));

  const api = {
    WxPayError,
    ERROR_CODES,
    DIAGNOSIS_CAUSES,
    DIAGNOSIS_TEXTS,
    sign(p, key, signType = 'MD5') {
      return call(() => withFields(p, 'params', (fields) => text('sign', fields, str(key, 'key'), str(signType, 'signType'))));
    },
    signingString(p) {
      return call(() => withFields(p, 'params', (fields) => text('signingString', fields)));
    },
    verify(p, key, signType) {
      return call(() => {
        const given = signType === undefined ? undefined : str(signType, 'signType');
        return withFields(p, 'params', (fields) => {
          const [pLen, keyLen, typeLen] = io.put([fields, str(key, 'key'), given ?? '']);
          return raw.verify(pLen, keyLen, given === undefined ? undefined : typeLen);
        });
      });
    },
    nonceStr(length = LIMITS.nonceLengthMax) {
      const [min, max] = [LIMITS.nonceLengthMin, LIMITS.nonceLengthMax];
      if (typeof length !== 'number') throw new WxPayError('INVALID_PARAM', `length must be a number from ${min} to ${max}, got ${describe(length)}`);
      if (!Number.isInteger(length) || length < min || length > max) {
        throw new WxPayError('INVALID_PARAM', `nonce length must be an integer from ${min} to ${max}, got ${length}`);
      }
      return call(() => raw.nonceStr(length));
    },
    toXml(p) {
      return call(() => withFields(p, 'params', (fields) => text('toXml', fields)));
    },
    parseXml(xml, opts = {}) {
      return call(() => JSON.parse(text('parseXml', body(xml, 'xml', maxBytesOf(opts), true), opt(opts, 'parseXml'))));
    },
    buildUnifiedOrderXml(order, opts) {
      return call(() => build('buildUnifiedOrderXml', order, 'order', opts));
    },
    parseUnifiedOrderResponse: reply('parseUnifiedOrderResponse'),
    requestPaymentParams(opts) {
      return call(() => payParams(text('requestPaymentParams', opt(opts, 'requestPaymentParams'))));
    },
    verifyNotify(xml, opts) {
      return call(() => JSON.parse(text('verifyNotify', body(xml, 'xml', maxBytesOf(opts), true), opt(opts, 'verifyNotify'))));
    },
    notifyReply(ok = true, message) {
      if (typeof ok !== 'boolean') throw new WxPayError('INVALID_PARAM', `ok must be a boolean, got ${describe(ok)}`);
      return call(() => raw.notifyReply(ok, message === undefined ? undefined : str(message, 'message')));
    },
    diagnoseSign(p, key, expectedSign, signType) {
      return call(() => withFields(p, 'params', (fields) => {
        const args = [fields, str(key, 'key'), str(expectedSign, 'expectedSign'), signType === undefined ? undefined : str(signType, 'signType')];
        return diagnosis().diagnoseSign(...args);
      }));
    },
    buildNotifyXml(fields, opts) {
      return call(() => build('buildNotifyXml', fields, 'fields', opts));
    },
    API_PATHS,
    CLIENT_CERT_APIS,
    buildOrderQueryXml(query, opts) {
      return call(() => build('buildOrderQueryXml', query, 'query', opts));
    },
    buildCloseOrderXml(order, opts) {
      return call(() => build('buildCloseOrderXml', order, 'order', opts));
    },
    buildRefundXml(refund, opts) {
      return call(() => build('buildRefundXml', refund, 'refund', opts));
    },
    buildRefundQueryXml(query, opts) {
      return call(() => build('buildRefundQueryXml', query, 'query', opts));
    },
    buildDownloadBillXml(bill, opts) {
      return call(() => build('buildDownloadBillXml', bill, 'bill', opts));
    },
    buildSandboxSignKeyXml(fields) {
      // JSON, not a field list: wasm reads the key out of the same object as an option.
      return call(() => raw.buildSandboxSignKeyXml(params(fields, 'fields')));
    },
    parseSandboxSignKeyResponse(xml, opts) {
      return call(() => raw.parseSandboxSignKeyResponse(body(xml, 'xml'), opt(opts, 'parseSandboxSignKeyResponse')));
    },
    parseResponse: reply('parseResponse'),
    parseBill(bill) {
      return call(() => JSON.parse(raw.parseBill(textBody(bill, 'text'))));
    },
    groupIndexed(fields) {
      return call(() => JSON.parse(withFields(fields, 'fields', (list) => raw.groupIndexed(list))));
    },
    decryptReqInfo(reqInfo, key) {
      return call(() => raw.decryptReqInfo(body(reqInfo, 'reqInfo', LIMITS.maxBytesCeiling), str(key, 'key')));
    },
    decryptRefundNotify(xml, opts) {
      return call(() => JSON.parse(raw.decryptRefundNotify(body(xml, 'xml', maxBytesOf(opts), true), opt(opts, 'decryptRefundNotify'))));
    },
    describeErrCode(code) {
      return call(() => {
        const info = errCodeInfo(str(code, 'code'));
        return info && copyInfo(info);
      });
    },
    errorCatalogue() {
      return ERR_CATALOGUE.map(copyInfo);
    },
    /** Bytes of wasm linear memory; for leak tests, not part of the documented API. */
    __wasmMemoryBytes() {
      return raw.__wasmMemoryBytes();
    },
  };
  /** The client over this API (js/v2/client.js): sign, send, verify, retry where safe. */
  api.createClient = (opts) => createV2Client(api, opts);
  return api;
}

export { createApi, DIAGNOSIS_CAUSES, DIAGNOSIS_TEXTS, API_PATHS, CLIENT_CERT_APIS };
