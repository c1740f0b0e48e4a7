// v2 replies: what WeChat sends back (API replies, payment and refund notifications, bills)
// read and verified, and the answer to a notification. Bodies cross as strings (checked for
// size and UTF-8 first, js/core/body.js); results come back as JSON the entry parses, which
// is faster than building the object across the boundary (src/wasm/results.rs).
import { WxPayError, describe, isPlainObject, str, body, text as textBody, withFields, LIMITS } from '../core/index.js';
import { call, opt, text, wasm } from './wasm.js';

/** The option `maxBytes` if `opts` is an object that has it (checked again by the core). */
const maxBytesOf = (opts) => (isPlainObject(opts) ? opts.maxBytes : undefined);

/** One reply parser serves the unified order and every other API; `fn` names its options. */
const reply = (fn) => (xml, opts) => call(() => JSON.parse(text('parseResponse', body(xml, 'xml'), opt(opts, fn))));

export const parseUnifiedOrderResponse = reply('parseUnifiedOrderResponse');
export const parseResponse = reply('parseResponse');

export function parseXml(xml, opts = {}) {
  return call(() => JSON.parse(text('parseXml', body(xml, 'xml', maxBytesOf(opts), true), opt(opts, 'parseXml'))));
}

export function verifyNotify(xml, opts) {
  return call(() =>
    JSON.parse(text('verifyNotify', body(xml, 'xml', maxBytesOf(opts), true), opt(opts, 'verifyNotify'))),
  );
}

export function notifyReply(ok = true, message) {
  if (typeof ok !== 'boolean') throw new WxPayError('INVALID_PARAM', `ok must be a boolean, got ${describe(ok)}`);
  return call(() => wasm.notifyReply(ok, message === undefined ? undefined : str(message, 'message')));
}

export function parseSandboxSignKeyResponse(xml, opts) {
  return call(() => wasm.parseSandboxSignKeyResponse(body(xml, 'xml'), opt(opts, 'parseSandboxSignKeyResponse')));
}

export function parseBill(bill) {
  return call(() => JSON.parse(wasm.parseBill(textBody(bill, 'text'))));
}

export function groupIndexed(fields) {
  return call(() => JSON.parse(withFields(fields, 'fields', (list) => wasm.groupIndexed(list))));
}

export function decryptReqInfo(reqInfo, key) {
  return call(() => wasm.decryptReqInfo(body(reqInfo, 'reqInfo', LIMITS.maxBytesCeiling), str(key, 'key')));
}

export function decryptRefundNotify(xml, opts) {
  return call(() =>
    JSON.parse(wasm.decryptRefundNotify(body(xml, 'xml', maxBytesOf(opts), true), opt(opts, 'decryptRefundNotify'))),
  );
}
