// /pay/downloadbill: the bill of a day in WeChat's CSV shape (every value behind a
// backquote, totals last), gzipped when asked. Takes the v2 context ({ store }, see ../api.mjs).
import { gzipSync } from 'node:zlib';
import { fail } from '../errors.mjs';
import { billDate, spacedTime } from '../util.mjs';
import { need, v2 } from './checks.mjs';

const BILL_TYPES = ['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND'];
const HEAD =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const TOTALS_HEAD = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

const yuan = (fen) => (Number(fen || 0) / 100).toFixed(2);

/** One bill line: a payment (`r` undefined) or a refund of order `o`. */
function billLine({ o, r, at }) {
  return [
    spacedTime(at),
    o.appid,
    o.mch_id,
    '0',
    '',
    o.transaction_id,
    o.out_trade_no,
    o.openid ?? '',
    o.trade_type,
    r ? 'REFUND' : 'SUCCESS',
    o.bank_type,
    o.fee_type,
    yuan(r ? 0 : o.total_fee),
    '0.00',
    r?.refund_id ?? '0',
    r?.out_refund_no ?? '0',
    yuan(r?.refund_fee),
    '0.00',
    r ? 'ORIGINAL' : '',
    r ? r.refund_status : '',
    o.body,
    o.attach ?? '',
    '0.00000',
    '0.60%',
    yuan(o.total_fee),
    yuan(r?.refund_fee),
    '',
  ]
    .map((v) => `\`${v}`)
    .join(',');
}

export function downloadbill({ store }, f) {
  need(f, 'bill_date', 'bill_type');
  if (!/^\d{8}$/.test(f.bill_date)) throw fail('PARAM_ERROR', `bill_date 格式为 yyyyMMdd (got ${f.bill_date})`);
  if (!BILL_TYPES.includes(f.bill_type)) throw fail('PARAM_ERROR', `bill_type 必须是 ${BILL_TYPES.join('/')}`);
  if (f.tar_type && f.tar_type !== 'GZIP') throw fail('PARAM_ERROR', 'tar_type 只能是 GZIP');
  const rows = billRows(store, f.bill_date, f.bill_type);
  if (!rows.length) return { noBill: true };
  const paid = rows.filter((x) => !x.r).reduce((s, x) => s + Number(x.o.total_fee), 0);
  const refunded = rows.filter((x) => x.r).reduce((s, x) => s + Number(x.r.refund_fee), 0);
  const summary = `\`${rows.length},\`${yuan(paid)},\`${yuan(refunded)},\`0.00,\`0.00000,\`${yuan(paid)},\`${yuan(refunded)}`;
  const text = `${HEAD}\r\n${rows.map(billLine).join('\r\n')}\r\n${TOTALS_HEAD}\r\n${summary}\r\n`;
  return { bill: f.tar_type === 'GZIP' ? gzipSync(Buffer.from(text)) : text };
}

/** The day's payments and refunds (v2 only), in time order. */
export function billRows(store, date, type) {
  const rows = [];
  if (type === 'ALL' || type === 'SUCCESS') {
    for (const o of store.orders.values()) {
      if (v2(o) && o.paid_at && billDate(o.paid_at) === date) rows.push({ o, at: o.paid_at });
    }
  }
  if (type === 'ALL' || type === 'REFUND') {
    for (const r of store.refunds.values()) {
      if (v2(r) && r.created_at && billDate(r.created_at) === date)
        rows.push({ o: store.order(r.out_trade_no), r, at: r.created_at });
    }
  }
  return rows.sort((a, b) => a.at - b.at);
}
