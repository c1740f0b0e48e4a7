// v3 bills: GET /v3/bill/tradebill and /v3/bill/fundflowbill built from the mock's own v3 orders,
// refunds and transfers in WeChat's CSV layout (every value behind a backquote, a header line, the
// totals' header and line last), answered as { hash_type: SHA1, hash_value, download_url }. The
// hash is of the bill as generated, before gzip ("原始账单（gzip需要解压缩）的摘要值", WeChat's
// 申请交易账单 page). GET /v3/billdownload/file?token=… needs a signed request and, as WeChat's,
// answers the bytes unsigned: the hash vouches for them. A `tamper-bill` fault flips one byte.
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { billDate, spacedTime } from '../util.mjs';
import { V3Error, paramError } from './errors.mjs';

const TRADE_HEAD =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const TRADE_TOTALS = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const FLOW_HEAD =
  '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号';
const FLOW_TOTALS = '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额';
/** bill_type values; the mock has no recharge coupons or special (ALL/SUC/REF_SPECIAL) trades, so those bills are empty. */
const TRADE_TYPES = ['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND', 'ALL_SPECIAL', 'SUC_SPECIAL', 'REF_SPECIAL'];
const EMPTY_TYPES = ['RECHARGE_REFUND', 'ALL_SPECIAL', 'SUC_SPECIAL', 'REF_SPECIAL'];
const ACCOUNT_TYPES = ['BASIC', 'OPERATION', 'FEES'];

const yuan = (fen) => (Number(fen || 0) / 100).toFixed(2);
const line = (values) => values.map((v) => `\`${v ?? ''}`).join(',');
const paid = (o) => o.api === 'v3' && o.paid_at;

/** bill_date yyyy-MM-dd → the yyyyMMdd the mock's times are compared with. */
function dayOf(query) {
  const d = query.get('bill_date');
  if (!d) throw paramError('bill_date', '为必填参数 (required)', 'query');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw paramError('bill_date', '格式为 yyyy-MM-dd', 'query', d);
  const tar = query.get('tar_type');
  if (tar !== null && tar !== 'GZIP') throw paramError('tar_type', '只能是 GZIP', 'query', tar);
  return d.replaceAll('-', '');
}

/** The trade bill's lines of a day: payments and refunds (bill_type ALL, SUCCESS or REFUND). */
function tradeLines({ store }, day, type) {
  const rows = [];
  const order = (o) => [
    o.appid ?? o.sp_appid,
    o.mchid ?? o.sp_mchid,
    o.sub_mchid ?? '0',
    '',
    o.transaction_id,
    o.out_trade_no,
    o.openid ?? o.sub_openid ?? '',
    o.trade_type,
  ];
  if (type !== 'REFUND')
    for (const o of store.orders.values())
      if (paid(o) && billDate(o.paid_at) === day)
        rows.push({
          at: o.paid_at,
          total: o.total,
          refund: 0,
          values: [
            ...order(o),
            'SUCCESS',
            'OTHERS',
            'CNY',
            yuan(o.total),
            '0.00',
            '0',
            '0',
            '0.00',
            '0.00',
            '',
            '',
            o.description,
            o.attach ?? '',
            '0.00000',
            '0.60%',
            yuan(o.total),
            '0.00',
            '',
          ],
        });
  if (type !== 'SUCCESS')
    for (const r of store.refunds.values()) {
      const o = store.order(r.out_trade_no) ?? store.orderByTransaction(r.transaction_id);
      if (r.api === 'v3' && o && billDate(r.created_at) === day)
        rows.push({
          at: r.created_at,
          total: 0,
          refund: r.refund,
          values: [
            ...order(o),
            'REFUND',
            'OTHERS',
            'CNY',
            '0.00',
            '0.00',
            r.refund_id,
            r.out_refund_no,
            yuan(r.refund),
            '0.00',
            'ORIGINAL',
            r.status,
            o.description,
            o.attach ?? '',
            '0.00000',
            '0.60%',
            yuan(o.total),
            yuan(r.refund),
            '',
          ],
        });
    }
  rows.sort((a, b) => a.at - b.at);
  const total = rows.reduce((s, x) => s + x.total, 0);
  const refunded = rows.reduce((s, x) => s + x.refund, 0);
  return {
    count: rows.length,
    text: [
      TRADE_HEAD,
      ...rows.map((x) => line([spacedTime(x.at), ...x.values])),
      TRADE_TOTALS,
      line([rows.length, yuan(total), yuan(refunded), '0.00', '0.00000', yuan(total), yuan(refunded)]),
    ],
  };
}

/** The fund flow bill's lines of a day (BASIC account): payments in, successful refunds and transfers out. */
function flowLines({ store }, day) {
  const moves = [];
  for (const o of store.orders.values())
    if (paid(o) && billDate(o.paid_at) === day)
      moves.push({
        at: o.paid_at,
        id: o.transaction_id,
        name: '交易',
        kind: '交易',
        dir: '收入',
        fen: o.total,
        note: o.out_trade_no,
      });
  for (const r of store.refunds.values())
    if (r.api === 'v3' && r.status === 'SUCCESS' && billDate(r.success_at) === day)
      moves.push({
        at: r.success_at,
        id: r.refund_id,
        name: '退款',
        kind: '退款',
        dir: '支出',
        fen: r.refund,
        note: r.out_refund_no,
      });
  for (const t of store.collection('transfers').values())
    if (t.state === 'SUCCESS' && billDate(t.updated_at) === day)
      moves.push({
        at: t.updated_at,
        id: t.transfer_bill_no,
        name: '商家转账',
        kind: '企业付款',
        dir: '支出',
        fen: t.transfer_amount,
        note: t.out_bill_no,
      });
  moves.sort((a, b) => a.at - b.at);
  let balance = 0;
  const body = moves.map((m) => {
    balance += m.dir === '收入' ? m.fen : -m.fen;
    return line([
      spacedTime(m.at),
      m.id,
      `${m.id}${randomBytes(2).toString('hex')}`,
      m.name,
      m.kind,
      m.dir,
      yuan(m.fen),
      yuan(balance),
      'system',
      m.note,
      m.note,
    ]);
  });
  const ins = moves.filter((m) => m.dir === '收入');
  const outs = moves.filter((m) => m.dir === '支出');
  const sum = (xs) => yuan(xs.reduce((s, m) => s + m.fen, 0));
  return {
    count: moves.length,
    text: [FLOW_HEAD, ...body, FLOW_TOTALS, line([moves.length, ins.length, sum(ins), outs.length, sum(outs)])],
  };
}

/** Keeps the bill under a new token and answers WeChat's { hash_type, hash_value, download_url }. */
function issue(ctx, headers, { count, text }, gzip) {
  if (!count)
    throw new V3Error(400, 'NO_STATEMENT_EXIST', '账单文件不存在 (no payments, refunds or transfers that day)');
  const raw = Buffer.from(`${text.join('\r\n')}\r\n`, 'utf8');
  const token = randomBytes(24).toString('base64url');
  ctx.bills ??= new Map();
  ctx.bills.set(token, { raw, gzip });
  if (ctx.bills.size > 100) ctx.bills.delete(ctx.bills.keys().next().value);
  return {
    status: 200,
    json: {
      hash_type: 'SHA1',
      hash_value: createHash('sha1').update(raw).digest('hex'),
      download_url: `http://${headers.host ?? '127.0.0.1'}/v3/billdownload/file?token=${token}`,
    },
  };
}

/** GET /v3/bill/tradebill?bill_date=&bill_type=&tar_type=. */
export function tradeBill(ctx, query, { headers }) {
  const day = dayOf(query);
  const type = query.get('bill_type') ?? 'ALL';
  if (!TRADE_TYPES.includes(type)) throw paramError('bill_type', `应为 ${TRADE_TYPES.join('/')}`, 'query', type);
  const lines = EMPTY_TYPES.includes(type) ? { count: 0, text: [] } : tradeLines(ctx, day, type);
  return issue(ctx, headers, lines, query.get('tar_type') === 'GZIP');
}

/** GET /v3/bill/fundflowbill?bill_date=&account_type=&tar_type=. */
export function fundFlowBill(ctx, query, { headers }) {
  const day = dayOf(query);
  const account = query.get('account_type') ?? 'BASIC';
  if (!ACCOUNT_TYPES.includes(account))
    throw paramError('account_type', `应为 ${ACCOUNT_TYPES.join('/')}`, 'query', account);
  const lines = account === 'BASIC' ? flowLines(ctx, day) : { count: 0, text: [] };
  return issue(ctx, headers, lines, query.get('tar_type') === 'GZIP');
}

/** GET /v3/billdownload/file?token=: the bytes, gzipped when asked, unsigned; one byte flipped under tamper-bill. */
export function billDownload(ctx, query) {
  const bill = ctx.bills?.get(query.get('token') ?? '');
  if (!bill) throw new V3Error(400, 'INVALID_REQUEST', '下载链接已失效或 token 无效 (unknown token)');
  let raw = bill.raw;
  if (ctx.faults?.takeTamperBill('/v3/billdownload/file')) {
    raw = Buffer.from(raw);
    raw[raw.length >> 1] ^= 0x01;
  }
  return bill.gzip
    ? { status: 200, raw: gzipSync(raw), contentType: 'application/x-gzip' }
    : { status: 200, raw, contentType: 'text/plain; charset=utf-8' };
}
