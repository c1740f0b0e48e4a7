// The v3 client's bills (申请交易账单 GET /v3/bill/tradebill, 申请资金账单 GET
// /v3/bill/fundflowbill): step 1 asks for the bill, a signed answer { hash_type, hash_value,
// download_url } verified like any v3 answer; step 2 downloads download_url signed, and the
// bytes are accepted only when their digest equals hash_value (client-files.js, download.js).
// `c` is the client's context (see client.js).
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { callV3 } from './client-request.js';
import { DOWNLOAD_MAX_BYTES, maxBytesOption, methodOptions, openDownload, pathOnOrigin } from './client-files.js';
import { readAll } from '../client/transport.js';
import { expectedHash, lazyStream, verifiedStream } from './download.js';

/**
 * The query names each bill takes (spec/v3.json, from wechatpay-openapi), in WeChat's order.
 * `sub_mchid` on tradebill and fundflowbill: a partner (服务商) asking for a sub-merchant's.
 */
const BILL_QUERIES = Object.freeze({
  tradebill: ['bill_date', 'sub_mchid', 'bill_type', 'tar_type'],
  fundflowbill: ['bill_date', 'sub_mchid', 'account_type', 'tar_type'],
});
/** Kinds WeChat has that this client refuses, with why. */
const BILLS_NOT_HANDLED = Object.freeze({
  'sub-merchant-fundflowbill':
    'its answer is a list of ENCRYPTED parts (download_bill_list: encrypt_key, nonce, AEAD_AES_256_GCM or SM4_GCM) whose file layout is not confirmed against WeChat or an official SDK, so it is not decrypted here yet; fetch it with client.get and decrypt each part yourself',
});

const fail = (message, field) => new WxPayError('INVALID_PARAM', message, field ? { field } : undefined);

/** `/v3/bill/{kind}?…` from a bill kind and its query: known names only, string values, bill_date YYYY-MM-DD. */
function billUrl(api, kind, query) {
  if (Object.hasOwn(BILLS_NOT_HANDLED, kind)) throw fail(`${api}: ${kind}: ${BILLS_NOT_HANDLED[kind]}`, 'kind');
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
  const q = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `/v3/bill/${kind}?${q.join('&')}`;
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
  return async () => {
    const answer = await callV3(c, { method: 'GET', url, api, expect: (j) => billAnswer(api, j) });
    const hash = expectedHash(answer.hash_type, answer.hash_value, api);
    const path = pathOnOrigin(c, api, answer.download_url);
    const r = await openDownload(c, api, path, maxBytes);
    return verifiedStream(r.body, {
      hash,
      maxBytes,
      gzip: query.tar_type === 'GZIP',
      what: `the ${kind} of ${query.bill_date}`,
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
