// WeChat Pay v2 endpoints: each handler takes the request's verified fields and returns
// the reply's business fields (the server signs them) or throws a MockError.
import { gzipSync } from 'node:zlib';
import { fail } from './errors.mjs';
import {
  billDate, newPrepayId, newRefundId, parseCompactTime, spacedTime,
} from './util.mjs';

const TRADE_TYPES = ['JSAPI', 'NATIVE', 'APP', 'MWEB'];
const BILL_TYPES = ['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND'];
const PREPAY_VALID_MS = 2 * 3600 * 1000;
const TRADE_STATE_DESC = {
  NOTPAY: '订单未支付', SUCCESS: '支付成功', REFUND: '转入退款', CLOSED: '已关闭', PAYERROR: '支付失败(其他原因，如银行返回失败)',
};

/** Fields every signed request carries; getsignkey has no appid. */
export const ENVELOPE = {
  '/pay/unifiedorder': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/orderquery': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/closeorder': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/secapi/pay/refund': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/refundquery': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/downloadbill': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/sandboxnew/pay/getsignkey': ['mch_id', 'nonce_str', 'sign'],
};

function need(f, ...names) {
  const missing = names.filter((n) => !f[n]);
  if (missing.length) throw fail('LACK_PARAMS', `缺少参数 ${missing.join(', ')} (missing ${missing.join(', ')})`);
}

function requireOne(f, ...names) {
  if (!names.some((n) => f[n])) throw fail('LACK_PARAMS', `需要 ${names.join(' / ')} 之一 (one of ${names.join(', ')} is required)`);
}

function amount(f, name) {
  if (!/^[1-9]\d{0,11}$/.test(f[name])) throw fail('PARAM_ERROR', `${name} 必须为正整数(分) (${name} must be a positive integer in fen, got ${JSON.stringify(f[name])})`);
  return Number(f[name]);
}

/** What makes two unified orders "the same": everything but the per-request noise. */
function digest(f) {
  const { nonce_str: _n, sign: _s, ...rest } = f;
  return JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]));
}

/** v2 calls see v2 records only: a v3 order's fields are not v2's (until the two share one view). */
const v2 = (x) => (x && x.api !== 'v3' ? x : undefined);

export function createApi({ store, config, events }) {
  function unifiedorder(f) {
    need(f, 'body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type');
    amount(f, 'total_fee');
    if (!TRADE_TYPES.includes(f.trade_type)) throw fail('PARAM_ERROR', `trade_type 必须是 ${TRADE_TYPES.join('/')} (got ${f.trade_type})`);
    if (f.trade_type === 'JSAPI' && !f.openid) throw fail('LACK_PARAMS', 'JSAPI支付必须传openid (JSAPI orders need openid)');
    if (!/^https?:\/\/[^\s?]+$/.test(f.notify_url)) throw fail('PARAM_ERROR', 'notify_url 必须是不带参数的 http(s) URL');
    const existing = store.order(f.out_trade_no);
    if (existing) {
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') throw fail('ORDERPAID');
      if (existing.trade_state === 'CLOSED') throw fail('ORDERCLOSED');
      if (existing.digest !== digest(f)) throw fail('OUT_TRADE_NO_USED', '同一订单号的请求内容不同 (same out_trade_no, different content)');
      return prepayReply(existing);
    }
    const now = Date.now();
    const expire = f.time_expire ? parseCompactTime(f.time_expire) : now + PREPAY_VALID_MS;
    if (Number.isNaN(expire)) throw fail('PARAM_ERROR', `time_expire 格式为 yyyyMMddHHmmss (got ${f.time_expire})`);
    const order = {
      out_trade_no: f.out_trade_no, appid: f.appid, mch_id: f.mch_id, body: f.body, attach: f.attach,
      total_fee: f.total_fee, fee_type: f.fee_type || 'CNY', trade_type: f.trade_type, openid: f.openid,
      notify_url: f.notify_url, sign_type: f.sign_type || 'MD5', prepay_id: newPrepayId(),
      trade_state: 'NOTPAY', created_at: now, expire_at: expire, digest: digest(f), deliveries: [],
    };
    store.orders.set(order.out_trade_no, order);
    store.save();
    events.log(`order ${order.out_trade_no} created: ${order.total_fee} fen, ${order.trade_type}, notify_url ${order.notify_url}`);
    return prepayReply(order);
  }

  function prepayReply(o) {
    const r = { appid: o.appid, mch_id: o.mch_id, prepay_id: o.prepay_id, trade_type: o.trade_type };
    if (o.trade_type === 'NATIVE') r.code_url = `weixin://wxpay/bizpayurl?pr=${o.prepay_id.slice(-7)}`;
    if (o.trade_type === 'MWEB') r.mweb_url = `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${o.prepay_id}`;
    return r;
  }

  function orderquery(f) {
    requireOne(f, 'transaction_id', 'out_trade_no');
    const o = v2(store.findOrder(f));
    if (!o) throw fail('ORDERNOTEXIST');
    return orderFields(o);
  }

  /** The order as orderquery and the payment notification show it. */
  function orderFields(o) {
    const r = {
      appid: o.appid, mch_id: o.mch_id, out_trade_no: o.out_trade_no, trade_state: o.trade_state,
      trade_state_desc: TRADE_STATE_DESC[o.trade_state], total_fee: o.total_fee, fee_type: o.fee_type,
      trade_type: o.trade_type, attach: o.attach, openid: o.openid,
    };
    if (o.transaction_id) {
      Object.assign(r, {
        transaction_id: o.transaction_id, time_end: o.time_end, bank_type: o.bank_type,
        cash_fee: o.total_fee, is_subscribe: 'N',
      });
    }
    return r;
  }

  function closeorder(f) {
    need(f, 'out_trade_no');
    const o = v2(store.order(f.out_trade_no));
    if (!o) throw fail('ORDERNOTEXIST');
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw fail('ORDERPAID');
    if (o.trade_state === 'CLOSED') throw fail('ORDERCLOSED');
    o.trade_state = 'CLOSED';
    o.closed_at = Date.now();
    store.save();
    events.log(`order ${o.out_trade_no} closed by the merchant`);
    return { appid: o.appid, mch_id: o.mch_id };
  }

  function refund(f) {
    requireOne(f, 'transaction_id', 'out_trade_no');
    need(f, 'out_refund_no', 'total_fee', 'refund_fee');
    const totalFee = amount(f, 'total_fee');
    const refundFee = amount(f, 'refund_fee');
    const o = v2(store.findOrder(f));
    if (!o) throw fail('ORDERNOTEXIST');
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') throw fail('TRADE_STATE_ERROR', `订单状态为 ${o.trade_state}，不能退款 (order is ${o.trade_state}, only paid orders can be refunded)`);
    if (totalFee !== Number(o.total_fee)) throw fail('REFUND_FEE_MISMATCH', `total_fee ${totalFee} ≠ 订单金额 ${o.total_fee}`);
    const previous = store.refunds.get(f.out_refund_no);
    if (previous) {
      if (previous.out_trade_no !== o.out_trade_no || previous.refund_fee !== f.refund_fee) throw fail('REFUND_FEE_MISMATCH', `out_refund_no ${f.out_refund_no} 已用于不同的退款 (already used for a different refund)`);
      return refundReply(o, previous);
    }
    const refunded = store.refundsOf(o.out_trade_no).filter((r) => r.refund_status !== 'REFUNDCLOSE' && r.refund_status !== 'CHANGE')
      .reduce((s, r) => s + Number(r.refund_fee), 0);
    if (refunded + refundFee > totalFee) throw fail('NOTENOUGH', `已退 ${refunded} + 本次 ${refundFee} > 订单金额 ${totalFee} (refunds would exceed the paid amount)`);
    const r = {
      out_refund_no: f.out_refund_no, refund_id: newRefundId(), out_trade_no: o.out_trade_no,
      transaction_id: o.transaction_id, total_fee: o.total_fee, refund_fee: f.refund_fee,
      refund_desc: f.refund_desc, notify_url: f.notify_url, refund_status: 'PROCESSING',
      created_at: Date.now(), deliveries: [],
    };
    store.refunds.set(r.out_refund_no, r);
    o.trade_state = 'REFUND';
    store.save();
    events.log(`refund ${r.out_refund_no} of order ${o.out_trade_no}: ${r.refund_fee} fen, PROCESSING`);
    events.refundCreated(r);
    return refundReply(o, r);
  }

  function refundReply(o, r) {
    return {
      appid: o.appid, mch_id: o.mch_id, transaction_id: o.transaction_id, out_trade_no: o.out_trade_no,
      out_refund_no: r.out_refund_no, refund_id: r.refund_id, refund_fee: r.refund_fee,
      settlement_refund_fee: r.refund_fee, total_fee: o.total_fee, settlement_total_fee: o.total_fee,
      cash_fee: o.total_fee, cash_refund_fee: r.refund_fee, refund_channel: '',
    };
  }

  function refundquery(f) {
    requireOne(f, 'refund_id', 'out_refund_no', 'transaction_id', 'out_trade_no');
    let list;
    if (f.refund_id || f.out_refund_no) {
      const r = v2(f.refund_id ? store.refundById(f.refund_id) : store.refunds.get(f.out_refund_no));
      list = r ? [r] : [];
    } else {
      const o = v2(store.findOrder(f));
      list = o ? store.refundsOf(o.out_trade_no) : [];
    }
    if (!list.length) throw fail('REFUNDNOTEXIST');
    const o = store.order(list[0].out_trade_no);
    const reply = {
      appid: o.appid, mch_id: o.mch_id, transaction_id: o.transaction_id, out_trade_no: o.out_trade_no,
      total_fee: o.total_fee, cash_fee: o.total_fee, refund_count: String(list.length),
    };
    list.forEach((r, n) => Object.assign(reply, {
      [`out_refund_no_${n}`]: r.out_refund_no, [`refund_id_${n}`]: r.refund_id, [`refund_fee_${n}`]: r.refund_fee,
      [`refund_status_${n}`]: r.refund_status, [`refund_channel_${n}`]: 'ORIGINAL',
      [`refund_recv_accout_${n}`]: '支付用户的零钱', [`refund_success_time_${n}`]: r.success_time,
    }));
    return reply;
  }

  /** The bill of a day, in WeChat's CSV shape: every value behind a backquote, totals last. */
  function downloadbill(f) {
    need(f, 'bill_date', 'bill_type');
    if (!/^\d{8}$/.test(f.bill_date)) throw fail('PARAM_ERROR', `bill_date 格式为 yyyyMMdd (got ${f.bill_date})`);
    if (!BILL_TYPES.includes(f.bill_type)) throw fail('PARAM_ERROR', `bill_type 必须是 ${BILL_TYPES.join('/')}`);
    if (f.tar_type && f.tar_type !== 'GZIP') throw fail('PARAM_ERROR', 'tar_type 只能是 GZIP');
    const rows = billRows(f.bill_date, f.bill_type);
    if (!rows.length) return { noBill: true };
    const head = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
    const yuan = (fen) => (Number(fen || 0) / 100).toFixed(2);
    const lines = rows.map(({ o, r, at }) => [
      spacedTime(at), o.appid, o.mch_id, '0', '', o.transaction_id, o.out_trade_no, o.openid ?? '', o.trade_type,
      r ? 'REFUND' : 'SUCCESS', o.bank_type, o.fee_type, yuan(r ? 0 : o.total_fee), '0.00', r?.refund_id ?? '0',
      r?.out_refund_no ?? '0', yuan(r?.refund_fee), '0.00', r ? 'ORIGINAL' : '', r ? r.refund_status : '', o.body,
      o.attach ?? '', '0.00000', '0.60%', yuan(o.total_fee), yuan(r?.refund_fee), '',
    ].map((v) => `\`${v}`).join(','));
    const paid = rows.filter((x) => !x.r).reduce((s, x) => s + Number(x.o.total_fee), 0);
    const refunded = rows.filter((x) => x.r).reduce((s, x) => s + Number(x.r.refund_fee), 0);
    const summary = `\`${rows.length},\`${yuan(paid)},\`${yuan(refunded)},\`0.00,\`0.00000,\`${yuan(paid)},\`${yuan(refunded)}`;
    const text = `${head}\r\n${lines.join('\r\n')}\r\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n${summary}\r\n`;
    return { bill: f.tar_type === 'GZIP' ? gzipSync(Buffer.from(text)) : text };
  }

  function billRows(date, type) {
    const rows = [];
    if (type === 'ALL' || type === 'SUCCESS') {
      for (const o of store.orders.values()) {
        if (v2(o) && o.paid_at && billDate(o.paid_at) === date) rows.push({ o, at: o.paid_at });
      }
    }
    if (type === 'ALL' || type === 'REFUND') {
      for (const r of store.refunds.values()) {
        if (v2(r) && r.created_at && billDate(r.created_at) === date) rows.push({ o: store.order(r.out_trade_no), r, at: r.created_at });
      }
    }
    return rows.sort((a, b) => a.at - b.at);
  }

  /** The sandbox key a merchant would use against /sandboxnew; stable per API key. */
  function getsignkey(f) {
    return { mch_id: f.mch_id, sandbox_signkey: config.sandboxKey };
  }

  return {
    '/pay/unifiedorder': unifiedorder,
    '/pay/orderquery': orderquery,
    '/pay/closeorder': closeorder,
    '/secapi/pay/refund': refund,
    '/pay/refundquery': refundquery,
    '/pay/downloadbill': downloadbill,
    '/sandboxnew/pay/getsignkey': getsignkey,
    orderFields,
  };
}

