// One v2 call to its reply: WeChat's envelope checks (POST, size, UTF-8, XML, the envelope
// fields, the merchant, the sign) in WeChat's order, the handler run, and the reply signed
// with the request's sign_type; a MockError becomes WeChat's FAIL reply.
// `ctx` is { wx, key, config, log } of one mock (see ../server.mjs).
import { MockError, fail } from '../errors.mjs';
import { ENVELOPE } from '../api.mjs';

export const MAX_BODY = 1024 * 1024;

/** The fields without empty ones, as text (what WeChat signs and sends). */
export function clean(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

function summary(
  fields,
  names = ['out_trade_no', 'transaction_id', 'total_fee', 'out_refund_no', 'refund_fee', 'bill_date'],
) {
  return names
    .filter((n) => fields?.[n])
    .map((n) => `${n}=${fields[n]}`)
    .join(' ');
}

function signed({ wx, key }, fields, signType) {
  const f = clean(fields);
  f.sign = wx.sign(f, key, signType);
  return wx.toXml(f);
}

/** The request's XML as fields, when they are well formed and signed by the merchant's key. */
function parseSigned({ wx, key, config }, path, text, env) {
  let fields;
  try {
    fields = wx.parseXml(text, { maxBytes: MAX_BODY });
  } catch (e) {
    throw fail('XML_FORMAT_ERROR', `${e.code}: ${e.message}`, env);
  }
  const missing = ENVELOPE[path].filter((n) => !fields[n]);
  if (missing.length) throw fail('LACK_PARAMS', `缺少参数 ${missing.join(', ')} (missing ${missing.join(', ')})`, env);
  if (
    (config.mchId && fields.mch_id !== config.mchId) ||
    (config.appid && fields.appid !== undefined && fields.appid !== config.appid)
  ) {
    throw fail(
      'APPID_MCHID_NOT_MATCH',
      `appid ${fields.appid ?? '-'} / mch_id ${fields.mch_id} 不是本商户 (the mock serves appid ${config.appid ?? 'any'}, mch_id ${config.mchId ?? 'any'})`,
      env,
    );
  }
  if (fields.sign_type && fields.sign_type !== 'MD5' && fields.sign_type !== 'HMAC-SHA256') {
    throw fail('SIGNERROR', `sign_type ${fields.sign_type} 不支持 (only MD5 and HMAC-SHA256)`, env);
  }
  let ok = false;
  try {
    ok = wx.verify(fields, key, fields.sign_type || 'MD5');
  } catch (e) {
    throw fail('SIGNERROR', `${e.code}: ${e.message}`, env);
  }
  if (!ok)
    throw fail('SIGNERROR', `签名与 ${fields.sign_type || 'MD5'} 计算结果不符 (sign does not match the API key)`, env);
  return fields;
}

/** WeChat's checks before it trusts a request, in its order. */
export function envelope(ctx, method, path, body) {
  const env = { envelope: true };
  if (method !== 'POST') throw fail('REQUIRE_POST_METHOD', undefined, env);
  if (!body.length) throw fail('POST_DATA_EMPTY', undefined, env);
  if (body.length > MAX_BODY) throw fail('XML_FORMAT_ERROR', 'body larger than 1 MiB', env);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw fail('NOT_UTF8', undefined, env);
  }
  return parseSigned(ctx, path, text, env);
}

/** Runs one WeChat call to its reply XML (or { bill }), logging one readable line. */
export function answer(ctx, method, path, handler, body) {
  const { wx, log } = ctx;
  let fields = {};
  let signType = 'MD5';
  try {
    fields = envelope(ctx, method, path, body);
    signType = fields.sign_type || 'MD5';
    const result = handler(fields);
    if (result.noBill) throw new MockError('No Bill Exist', 'No Bill Exist', { envelope: true });
    if (result.bill !== undefined) {
      log(`${path} bill_date=${fields.bill_date} → bill (${result.bill.length} bytes)`);
      return result;
    }
    const reply = signed(
      ctx,
      { return_code: 'SUCCESS', return_msg: 'OK', nonce_str: wx.nonceStr(), result_code: 'SUCCESS', ...result },
      signType,
    );
    log(
      `${path} ${summary(fields)} → SUCCESS ${summary(result, ['prepay_id', 'trade_state', 'refund_id', 'refund_count', 'sandbox_signkey'])}`,
    );
    return reply;
  } catch (e) {
    if (!(e instanceof MockError)) throw e;
    log(`${path} ${summary(fields)} → FAIL ${e.code} (${e.message})`);
    if (e.envelope)
      return wx.toXml(
        clean({
          return_code: 'FAIL',
          return_msg: e.message,
          err_code: e.code === 'No Bill Exist' ? undefined : e.code,
        }),
      );
    return signed(
      ctx,
      {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        appid: fields.appid,
        mch_id: fields.mch_id,
        nonce_str: wx.nonceStr(),
        result_code: 'FAIL',
        err_code: e.code,
        err_code_des: e.message,
      },
      signType,
    );
  }
}
