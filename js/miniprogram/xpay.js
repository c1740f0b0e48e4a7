// Virtual payment (虚拟支付, "xpay") for mini-games and mini-programs: the two signatures
// (computed by the Rust core, src/miniprogram/xpay.rs), the parameters of
// wx.requestVirtualPayment, and the server APIs under /xpay/, each sent with
// `?access_token=…&pay_sig=…` and, for the calls that act for a user, `&signature=…`.
//
// Every signature is over the exact body text sent: the caller's object is serialised once,
// signed, and those very bytes are sent (or handed to the mini-program as signData).
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { call } from './wasm.js';
import { options, text } from './options.js';
import { withToken } from './request.js';

/** The longest body signed (src/miniprogram/xpay.rs's MAX_BODY_BYTES; a character is at least a byte). */
const MAX_BODY_CHARS = 1024 * 1024;

/** `{ paySig, signature? }`: paySig = HMAC-SHA256(appKey, uri & body); signature = HMAC-SHA256(sessionKey, body) when a sessionKey is given. */
export function xpaySignatures(opts) {
  const fn = 'xpaySignatures';
  options(fn, opts);
  const appKey = text(fn, opts, 'appKey', { max: 256 });
  const uri = text(fn, opts, 'uri', { max: 256 });
  const sessionKey = text(fn, opts, 'sessionKey', { optional: true, max: 256 });
  if (typeof opts.body !== 'string')
    throw new WxPayError('INVALID_PARAM', `${fn}: body must be the exact JSON text sent, got ${describe(opts.body)}`, {
      field: 'body',
    });
  // Refused before it is copied into the wasm (the core checks again).
  if (opts.body.length > MAX_BODY_CHARS)
    throw new WxPayError('INPUT_TOO_LARGE', `${fn}: body is longer than ${MAX_BODY_CHARS} characters`, {
      field: 'body',
    });
  const out = { paySig: call('mpPaySig', appKey, uri, opts.body) };
  if (sessionKey !== undefined) out.signature = call('mpUserSignature', sessionKey, opts.body);
  return out;
}

const MODES = new Set(['short_series_goods', 'short_series_coin']);

/** signData's fields checked (the ones WeChat requires), when it is given as an object. */
function checkSignData(fn, d) {
  const bad = (name, want) =>
    new WxPayError('INVALID_FIELD', `${fn}: signData.${name} must be ${want}, got ${describe(d[name])}`, {
      field: name,
    });
  if (typeof d.offerId !== 'string' || d.offerId === '') throw bad('offerId', 'the xpay OfferID (a string)');
  if (!Number.isSafeInteger(d.buyQuantity) || d.buyQuantity < 1) throw bad('buyQuantity', 'a positive integer');
  if (d.env !== 0 && d.env !== 1) throw bad('env', '0 (production) or 1 (sandbox)');
  if (d.currencyType !== 'CNY') throw bad('currencyType', "'CNY'");
  if (typeof d.outTradeNo !== 'string' || !/^[0-9A-Za-z_\-|*@]{6,32}$/.test(d.outTradeNo))
    throw bad('outTradeNo', 'your order number (6 to 32 letters, digits or _-|*@)');
}

/**
 * What wx.requestVirtualPayment takes: `{ signData, paySig, signature, mode }`. signData is
 * the JSON text signed (an object is serialised here once; a string is used as it is);
 * paySig is over `requestVirtualPayment&signData`, signature keyed by the user's session_key.
 */
export function virtualPaymentParams(opts) {
  const fn = 'virtualPaymentParams';
  options(fn, opts);
  const mode = opts.mode ?? 'short_series_goods';
  if (!MODES.has(mode))
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: mode must be 'short_series_goods' or 'short_series_coin', got ${describe(mode)}`,
      { field: 'mode' },
    );
  let signData = opts.signData;
  if (isPlainObject(signData)) {
    checkSignData(fn, signData);
    if (
      mode === 'short_series_goods' &&
      (typeof signData.productId !== 'string' || !Number.isSafeInteger(signData.goodsPrice))
    )
      throw new WxPayError(
        'INVALID_FIELD',
        `${fn}: mode short_series_goods needs signData.productId (a string) and goodsPrice (fen, an integer)`,
        { field: 'productId' },
      );
    signData = JSON.stringify(signData);
  }
  if (typeof signData !== 'string' || signData === '')
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: signData must be an object or its JSON text, got ${describe(signData)}`,
      { field: 'signData' },
    );
  text(fn, opts, 'sessionKey', { max: 256 });
  const { paySig, signature } = xpaySignatures({
    appKey: opts.appKey,
    sessionKey: opts.sessionKey,
    uri: 'requestVirtualPayment',
    body: signData,
  });
  return { signData, paySig, signature, mode };
}

/**
 * The xpay server APIs: name → whether it acts for a user (and so carries the user-state
 * `signature`, keyed by session_key). Every one carries pay_sig.
 */
export const XPAY_APIS = Object.freeze({
  query_user_balance: true,
  currency_pay: true,
  cancel_currency_pay: true,
  query_order: false,
  refund_order: false,
  notify_provide_goods: false,
  present_currency: false,
  download_bill: false,
  create_withdraw_order: false,
  query_withdraw_order: false,
  start_upload_goods: false,
  query_upload_goods: false,
  start_publish_goods: false,
  query_publish_goods: false,
});

const camel = (s) => s.replace(/_([a-z])/g, (_, ch) => ch.toUpperCase());

/**
 * `mp.xpay.<camelName>(body, { sessionKey? })` for each API. `env` is filled from the
 * instance's option when the body has none. The body object is serialised once; pay_sig and
 * signature are computed over that text, which is what is sent.
 */
export function xpayMethods(c) {
  const methods = {};
  for (const [name, user] of Object.entries(XPAY_APIS)) {
    methods[camel(name)] = async (body, o = {}) => {
      const fn = `xpay.${camel(name)}`;
      if (!isPlainObject(body))
        throw new WxPayError('INVALID_PARAM', `${fn}: body must be an object, got ${describe(body)}`, {
          field: 'body',
        });
      if (!isPlainObject(o) || Object.keys(o).some((k) => k !== 'sessionKey'))
        throw new WxPayError('INVALID_PARAM', `${fn}: options may only carry sessionKey`);
      if (c.appKey === undefined)
        throw new WxPayError(
          'INVALID_PARAM',
          `${fn}: createMiniProgram needs option \`appKey\` (the xpay AppKey) for xpay calls`,
          { field: 'appKey' },
        );
      if (user && (typeof o.sessionKey !== 'string' || o.sessionKey === ''))
        throw new WxPayError(
          'INVALID_PARAM',
          `${fn}: this call acts for a user: give { sessionKey } (code2Session's session_key)`,
          { field: 'sessionKey' },
        );
      const full = { ...body };
      if (full.env === undefined) full.env = c.env;
      const bodyText = JSON.stringify(full);
      return withToken(c, `/xpay/${name}`, bodyText, (b) => {
        const s = xpaySignatures({
          appKey: c.appKey,
          uri: `/xpay/${name}`,
          body: b,
          ...(user ? { sessionKey: o.sessionKey } : {}),
        });
        return user ? { pay_sig: s.paySig, signature: s.signature } : { pay_sig: s.paySig };
      });
    };
  }
  return Object.freeze(methods);
}
