// One v3 client call: the request built once (the v3 builders), an Authorization signed per
// attempt over the SAME method, URL and body, sent, and the answer's Wechatpay-Signature
// verified before anything in it is believed; repeated only as js/client/retry.js allows.
// `c` is the client's context (see client.js).
import { WxPayError, isPlainObject } from '../core/index.js';
import { withRetries } from '../client/retry.js';
import { sameField } from '../client/fields.js';
import { verifyWith } from './client-keys.js';

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

/** An answer: 2xx verified and parsed; a signed error verified, then thrown as WeChat's code; an unsigned 5xx is a gateway's (outcome unknown). */
async function answerV3(c, r, expect) {
  const { v3 } = c;
  const signed = r.headers['wechatpay-signature'] !== undefined;
  if (r.status >= 200 && r.status < 300) {
    await verifyWith(c, (publicKeys) => v3.verifySignature(r.body, r.headers, { publicKeys }));
    const json = r.body.byteLength ? jsonOf(r.body) : {};
    sameField(json, 'mchid', c.mchId, 'MCH_ID_MISMATCH');
    sameField(json, 'appid', c.appid, 'APPID_MISMATCH');
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

/** `built` (a promise of { method, url, body }) sent with retries; expect(json) judges a 2xx, resolve() a lost answer. */
function requestV3(c, api, built, { resolve, expect, ref } = {}) {
  const { v3, mchId, serialNo, privateKey } = c;
  return built.then((req) =>
    withRetries({
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
        if (req.method !== 'GET') headers['content-type'] = 'application/json';
        const r = await c.transport.send({
          method: req.method,
          url: `${c.baseUrl}${req.url}`,
          headers,
          body: req.method === 'GET' ? undefined : req.body,
        });
        return answerV3(c, r, expect);
      },
    }),
  );
}

export { jsonOf, answerV3, requestV3 };
