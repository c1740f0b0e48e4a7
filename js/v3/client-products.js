// The v3 client's product helpers (issue 27 item 6), thin over callV3: each takes WeChat's
// own fields, fills the ids that are the client's (appid/mchid, or sp_appid/sp_mchid as a
// service provider, combine_appid/combine_mchid), checks the fields WeChat requires
// (MISSING_FIELD) and encrypts the sensitive ones given as plain text, then calls the
// endpoint its row of product-endpoints.js names. What the fields mean is WeChat's; these
// helpers add the guarantees of every client call (signed, Wechatpay-Serial, the answer
// verified and ours, retried only where safe). `c` is the client's context (see client.js).
import { WxPayError, describe } from '../core/index.js';
import { isWeChatCode, requestFields, requiredText, sameField } from '../client/fields.js';
import { callV3 } from './client-request.js';
import { platformKey } from './client-keys.js';
import { genericRequest } from './generic-request.js';
import { queryByOutTradeNoV3, resolveOrder } from './client-calls.js';
import { ENDPOINTS } from './product-endpoints.js';
import { signBytes } from './keys.js';
import { base64 } from './crypto.js';

/** `fields` with the client's ids filled in; one given that is not the client's is refused. */
function withIds(c, api, fields, ids) {
  const body = { ...fields };
  for (const [field, key] of Object.entries(ids)) {
    if (body[field] !== undefined && body[field] !== c[key])
      throw new WxPayError('INVALID_FIELD', `${api}: ${field} is not the client's (${key}); leave it out`, { field });
    body[field] = c[key];
  }
  return body;
}

/** Refuses a request missing a field WeChat requires. */
function requireFields(api, body, names) {
  for (const name of names)
    if (body[name] === undefined || body[name] === null || body[name] === '')
      throw new WxPayError('MISSING_FIELD', `${api}: ${name} is required`, { field: name });
}

/** Each sensitive field given (`name`, or `list[].name` in each item) encrypted with `pem`. */
async function sealFields(c, api, body, names, pem) {
  const seal = async (v, field) => {
    if (typeof v !== 'string' || v === '')
      throw new WxPayError('INVALID_PARAM', `${api}: ${field} must be the plain text to encrypt, got ${describe(v)}`, {
        field,
      });
    try {
      return await c.v3.encryptSensitive(v, pem);
    } catch (e) {
      // Too long for RSA-OAEP: most often a value already encrypted (give the plain text).
      if (e?.code === 'INVALID_PARAM')
        throw new WxPayError(
          'INVALID_PARAM',
          `${api}: ${field}: ${e.message} (give it as plain text: the client encrypts it)`,
          { field },
        );
      throw e;
    }
  };
  for (const name of names) {
    const [list, inner] = name.split('[].');
    if (inner === undefined) {
      if (body[name] !== undefined) body[name] = await seal(body[name], name);
    } else if (Array.isArray(body[list])) {
      body[list] = await Promise.all(
        body[list].map(async (item) =>
          item !== null && typeof item === 'object' && item[inner] !== undefined
            ? { ...item, [inner]: await seal(item[inner], name) }
            : item,
        ),
      );
    }
  }
}

/**
 * One product call: the endpoint `name` of ENDPOINTS with `fields` (a body, for POST and the
 * like), `params` and `query`; `ref` names it in events, `resolve`/`expect` as for callV3.
 */
async function callProduct(c, name, { fields, params, query, ref, resolve, expect }) {
  const row = ENDPOINTS[name];
  let body;
  let serial;
  if (fields !== undefined) {
    body = withIds(c, name, requestFields(name, fields), row.ids);
    requireFields(name, body, row.required);
    if (row.sensitive.some((f) => body[f.split('[].')[0]] !== undefined)) {
      const key = await platformKey(c);
      await sealFields(c, name, body, row.sensitive, key.pem);
      serial = key.serial;
    }
  }
  const req = genericRequest(name, row.method, row.path, body, { params, query });
  return callV3(c, { ...req, api: name, ref, resolve, expect, serial });
}

/** A lost answer settled by a query that finds the thing (`resolvedByQuery: true`) or says it is absent (`codes`). */
function foundBy(query, ...codes) {
  return async () => {
    try {
      return { done: true, value: { ...(await query()), resolvedByQuery: true } };
    } catch (e) {
      if (isWeChatCode(e, ...codes)) return { done: false };
      throw e;
    }
  };
}

/** The answer's `field` must be the one asked for when present. */
const answers =
  (field, want, code = 'INVALID_FIELD') =>
  (j) =>
    sameField(j, field, want, code);

/** A direct order (native, h5, app): a lost answer settled by the order query, as jsapi. */
async function directOrder(c, kind, order) {
  const no = requestFields(kind, order).out_trade_no;
  return callProduct(c, kind, {
    fields: order,
    ref: no,
    resolve: async () => resolveOrder(kind, no, () => queryByOutTradeNoV3(c, no)),
  });
}

/** Text for the App's signed message: no line break (it would shift the message's lines). */
function lineText(api, v, name) {
  requiredText(api, v, name);
  if (/[\r\n]/.test(v)) throw new WxPayError('INVALID_PARAM', `${api}: ${name} contains a line break`, { field: name });
  return v;
}

/**
 * What the App SDK's PayReq takes for a prepay_id (WeChat's "APP调起支付"): `sign` is
 * SHA256withRSA with the merchant key over `appid\ntimestamp\nnoncestr\nprepayid\n`, Base64.
 * `ids` (partner mode): the app and merchant the order was placed for.
 */
async function appPayParams(c, prepayId, ids = { appid: c.appid, partnerid: c.mchId }) {
  const api = 'appPayParams';
  const prepayid = lineText(api, prepayId, 'prepayId');
  const appid = lineText(api, ids.appid, 'appid');
  const partnerid = lineText(api, ids.partnerid, 'partnerid');
  const noncestr = [...globalThis.crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  const timestamp = String(Math.floor(Date.now() / 1000));
  const sign = base64(await signBytes(c.privateKey, `${appid}\n${timestamp}\n${noncestr}\n${prepayid}\n`));
  return { appid, partnerid, prepayid, package: 'Sign=WXPay', noncestr, timestamp, sign };
}

/** 合单: orders, query, close. A lost order answer is settled by the combine query. */
function combineMethods(c) {
  const query = async (no) =>
    callProduct(c, 'combine.query', {
      params: { combine_out_trade_no: requiredText('combine.query', no, 'combineOutTradeNo') },
      ref: no,
      expect: answers('combine_out_trade_no', no, 'OUT_TRADE_NO_MISMATCH'),
    });
  const order = (kind) => async (o) => {
    const no = requestFields(kind, o).combine_out_trade_no;
    return callProduct(c, `combine.${kind}`, {
      fields: o,
      ref: no,
      resolve: async () => {
        try {
          const q = await query(no);
          const states = (q.sub_orders ?? []).map((s) => s.trade_state);
          if (states.every((s) => s === 'NOTPAY')) return { done: false };
          return {
            done: true,
            error: new WxPayError('RESULT_FAIL', `combine ${no} already exists (${states.join(', ')})`, {
              errCode: states.includes('CLOSED') ? 'ORDER_CLOSED' : 'ORDERPAID',
              retryable: false,
            }),
          };
        } catch (e) {
          if (isWeChatCode(e, 'ORDER_NOT_EXIST', 'RESOURCE_NOT_EXISTS')) return { done: false };
          throw e;
        }
      },
    });
  };
  return Object.freeze({
    jsapi: order('jsapi'),
    app: order('app'),
    h5: order('h5'),
    native: order('native'),
    miniprogram: order('miniprogram'),
    query,
    close: async (no, subOrders) =>
      callProduct(c, 'combine.close', {
        fields: { sub_orders: subOrders },
        params: { combine_out_trade_no: requiredText('combine.close', no, 'combineOutTradeNo') },
        ref: no,
      }),
  });
}

function productMethods(c) {
  return {
    native: async (order) => directOrder(c, 'native', order),
    h5: async (order) => directOrder(c, 'h5', order),
    app: async (order) => directOrder(c, 'app', order),
    appPayParams: async (prepayId) => appPayParams(c, prepayId),
    combine: combineMethods(c),
    /** 异常退款: pay a refund WeChat could not return to the user's account to a bank card. */
    applyAbnormalRefund: async (refundId, fields) =>
      callProduct(c, 'abnormalRefund', {
        fields,
        params: { refund_id: requiredText('abnormalRefund', refundId, 'refundId') },
        ref: fields?.out_refund_no,
        expect: answers('refund_id', refundId),
      }),
  };
}

export { callProduct, foundBy, answers, appPayParams, productMethods };
