// One v3 HTTP call through the mock: the route found, the body read as UTF-8, the merchant's
// signature checked, the handler run, and the answer (errors included) signed.
import { randomUUID } from 'node:crypto';
import { certificates } from './certificates.mjs';
import { V3Error, strip } from './errors.mjs';
import { close, jsapi, queryById, queryByNo } from './orders.mjs';
import { refund, refundQuery } from './refunds.mjs';
import { authenticate, responseHeaders } from './signing.mjs';
// --- mockproducts: the products' routes (native, partner, combine, transfers, profit sharing, bills, media, complaints)
import { PRODUCT_ROUTES } from './products.mjs';
import { multipart } from './multipart.mjs';
// --- end mockproducts

/** [method, path, handler(ctx, match, query, bodyText)]: WeChat's v3 paths the mock answers. */
export const ROUTES = [
  ['POST', /^\/v3\/pay\/transactions\/jsapi$/, (ctx, _m, _q, b) => jsapi(ctx, b)],
  ['GET', /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, (ctx, m, q) => queryByNo(ctx, m[1], q)],
  ['GET', /^\/v3\/pay\/transactions\/id\/([^/]+)$/, (ctx, m, q) => queryById(ctx, m[1], q)],
  ['POST', /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/, (ctx, m, _q, b) => close(ctx, m[1], b)],
  ['POST', /^\/v3\/refund\/domestic\/refunds$/, (ctx, _m, _q, b) => refund(ctx, b)],
  ['GET', /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, (ctx, m) => refundQuery(ctx, m[1])],
  ['GET', /^\/v3\/certificates$/, (ctx, _m, q) => certificates(ctx, q)],
  // --- mockproducts: each handler also gets the call ({ headers, file }); a 4th member { multipart: true }
  // means the signed body is the multipart `meta` part (media upload), not the raw body.
  ...PRODUCT_ROUTES,
  // --- end mockproducts
];

/** The handler's { status, json }; a V3Error thrown before or by it is WeChat's error answer. */
function route(ctx, req, url, raw, maxBody) {
  const found =
    ROUTES.find(([m, re]) => re.test(url.pathname) && m === req.method) ??
    (ROUTES.some(([, re]) => re.test(url.pathname)) ? 'method' : null);
  if (!found)
    throw new V3Error(404, 'NOT_FOUND', `no such WeChat Pay v3 path in the mock: ${req.method} ${url.pathname}`);
  if (found === 'method')
    throw new V3Error(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
  if (raw.length > maxBody)
    throw new V3Error(400, 'PARAM_ERROR', `参数错误: 请求体超过 ${maxBody} 字节`, {
      location: 'body',
      issue: 'body too large',
    });
  const [, re, fn, opts] = found;
  const call = { headers: req.headers };
  let text;
  if (opts?.multipart) ({ meta: text, file: call.file } = multipart(req.headers['content-type'], raw));
  else
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体不是 UTF-8', { location: 'body', issue: 'not UTF-8' });
    }
  authenticate(ctx, req.method, url.pathname + url.search, req.headers, text);
  return fn(
    ctx,
    re.exec(url.pathname).map((s, i) => (i ? decodeURIComponent(s) : s)),
    url.searchParams,
    text,
    call,
  );
}

/** One v3 call: { status, headers, body } with the answer signed. Never throws a V3Error. */
export function handle(ctx, req, url, raw, maxBody = 1024 * 1024) {
  const pathAndQuery = url.pathname + url.search;
  let result;
  try {
    result = route(ctx, req, url, raw, maxBody);
  } catch (e) {
    if (!(e instanceof V3Error)) throw e;
    result = { status: e.status, json: strip({ code: e.code, message: e.message, detail: e.detail }) };
  }
  // mockproducts: a file download (bills) is bytes, and WeChat does not sign it: the hash in the bill answer vouches for it.
  if (result.raw) {
    ctx.log(`v3 ${req.method} ${pathAndQuery} → ${result.status} (${result.raw.length} bytes, unsigned as WeChat's)`);
    return { status: result.status, headers: { 'Content-Type': result.contentType, 'Request-ID': `mock-${randomUUID()}` }, body: result.raw };
  }
  const body = result.json === undefined ? '' : JSON.stringify(result.json);
  ctx.log(
    `v3 ${req.method} ${pathAndQuery} → ${result.status}${result.json?.code ? ` ${result.json.code} (${result.json.message})` : ''}`,
  );
  const headers = { ...responseHeaders(ctx, body, req.headers), 'Request-ID': `mock-${randomUUID()}` };
  if (body) headers['Content-Type'] = 'application/json';
  return { status: result.status, headers, body };
}
