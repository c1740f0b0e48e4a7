// The v3 client's bills (申请交易账单 GET /v3/bill/tradebill, 申请资金账单 GET
// /v3/bill/fundflowbill): step 1 asks for the bill, a signed answer { hash_type, hash_value,
// download_url } verified like any v3 answer; step 2 downloads download_url signed, and the
// bytes are accepted only when their digest equals hash_value (client-files.js, download.js).
// 申请单个子商户资金账单 (sub-merchant-fundflowbill) lists encrypted parts: sub-bills.js.
// `c` is the client's context (see client.js).
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { callV3 } from './client-request.js';
import { DOWNLOAD_MAX_BYTES, maxBytesOption, methodOptions, openDownload, pathOnOrigin } from './client-files.js';
import { readAll } from '../client/transport.js';
import { expectedHash, lazyStream, verifiedStream } from './download.js';
import { subMerchantBill } from './sub-bills.js';

/**
 * The query names each bill takes (spec/v3.json, from wechatpay-openapi), in WeChat's order.
 * `sub_mchid` on tradebill and fundflowbill: a partner (服务商) asking for a sub-merchant's.
 */
const BILL_QUERIES = Object.freeze({
  tradebill: ['bill_date', 'sub_mchid', 'bill_type', 'tar_type'],
  fundflowbill: ['bill_date', 'sub_mchid', 'account_type', 'tar_type'],
  'sub-merchant-fundflowbill': ['sub_mchid', 'bill_date', 'account_type', 'algorithm', 'tar_type'],
});
/** The sub-merchant bill's encryption: WeChat requires `algorithm`; SM4_GCM has no WebCrypto. */
const SUB_BILL_ALGORITHM = 'AEAD_AES_256_GCM';

const fail = (message, field) => new WxPayError('INVALID_PARAM', message, field ? { field } : undefined);

/** `/v3/bill/{kind}?…` from a bill kind and its query: known names only, string values, bill_date YYYY-MM-DD. */
function billUrl(api, kind, query) {
  const names = Object.hasOwn(BILL_QUERIES, kind) ? BILL_QUERIES[kind] : null;
  if (names === null)
    throw fail(`${api}: kind must be one of ${Object.keys(BILL_QUERIES).join(', ')}, got ${describe(kind)}`, 'kind');
  if (!isPlainObject(query)) throw fail(`${api}: the query must be a plain object, got ${describe(query)}`);
  for (const [k, v] of Object.entries(query)) {
    if (!names.includes(k)) throw fail(`${api}: ${kind} takes no \`${k}\` (it takes ${names.join(', ')})`, k);
    if (typeof v !== 'string' || v === '')
      throw fail(`${api}: \`${k}\` must be a non-empty string, got ${describe(v)}`, k);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(query.bill_date ?? ''))
    throw fail(`${api}: bill_date is required, as YYYY-MM-DD, got ${describe(query.bill_date)}`, 'bill_date');
  if (query.tar_type !== undefined && query.tar_type !== 'GZIP')
    throw fail(`${api}: tar_type is GZIP or absent, got ${describe(query.tar_type)}`, 'tar_type');
  if (kind === 'sub-merchant-fundflowbill') query = subBillQuery(api, query);
  const q = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `/v3/bill/${kind}?${q.join('&')}`;
}

/** sub_mchid and account_type required; algorithm AEAD_AES_256_GCM, added (last) when absent. */
function subBillQuery(api, query) {
  for (const k of ['sub_mchid', 'account_type'])
    if (query[k] === undefined) throw fail(`${api}: sub-merchant-fundflowbill needs \`${k}\``, k);
  if (query.algorithm === 'SM4_GCM')
    throw fail(
      `${api}: algorithm SM4_GCM is not supported (WebCrypto has no SM4); ask for ${SUB_BILL_ALGORITHM}`,
      'algorithm',
    );
  if (query.algorithm !== undefined && query.algorithm !== SUB_BILL_ALGORITHM)
    throw fail(`${api}: algorithm is ${SUB_BILL_ALGORITHM} or absent, got ${describe(query.algorithm)}`, 'algorithm');
  return query.algorithm === undefined ? { ...query, algorithm: SUB_BILL_ALGORITHM } : query;
}

/** Step 1's signed answer: its three fields present, as strings (checked again by expectedHash). */
function billAnswer(api, j) {
  for (const k of ['hash_type', 'hash_value', 'download_url'])
    if (typeof j[k] !== 'string' || j[k] === '')
      throw new WxPayError('INVALID_FIELD', `${api}: the bill answer has no ${k}`, { field: k });
}

/**
 * A bill's checks, made before anything is sent (synchronously), and the function that then
 * makes both steps and opens the verified (for GZIP, decompressed) stream of its bytes.
 */
function preparedBill(c, kind, query, o, api) {
  const opts = methodOptions(api, o, ['maxBytes']);
  const maxBytes = maxBytesOption(api, opts, DOWNLOAD_MAX_BYTES);
  const url = billUrl(api, kind, query);
  const what = `the ${kind} of ${query.bill_date}`;
  const gzip = query.tar_type === 'GZIP';
  if (kind === 'sub-merchant-fundflowbill') return () => subMerchantBill(c, { api, url, maxBytes, gzip, what });
  return async () => {
    const answer = await callV3(c, { method: 'GET', url, api, expect: (j) => billAnswer(api, j) });
    const hash = expectedHash(answer.hash_type, answer.hash_value, api);
    const path = pathOnOrigin(c, api, answer.download_url);
    const r = await openDownload(c, api, path, maxBytes);
    return verifiedStream(r.body, {
      hash,
      maxBytes,
      gzip,
      what,
    });
  };
}

/** The bill as a stream of its bytes, returned at once (bad arguments throw now; both steps run at the first read). */
const billStreamV3 = (c, kind, query, o) => lazyStream(preparedBill(c, kind, query, o, 'billStream'));

/** The bill as text (UTF-8; WeChat's bills are CSV), after its digest was checked. */
async function billV3(c, kind, query, o) {
  const bytes = await readAll(await preparedBill(c, kind, query, o, 'bill')());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WxPayError('INVALID_FIELD', 'bill: the verified bill is not UTF-8 text; billStream gives its bytes');
  }
}

export { BILL_QUERIES, billUrl, billStreamV3, billV3 };
