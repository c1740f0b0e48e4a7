// One v3 HTTP call through the mock: the route found, the body read as UTF-8, the merchant's
// signature checked, the request validated against the derived spec, the handler run, and the
// answer (errors included) signed.
//
// Two layers answer a call:
//   ROUTES      specific handlers, with behaviour (orders, refunds, …): consulted first. Product
//               modules add theirs with addRoutes() (or a block of their own in ROUTES below).
//   the spec    every other path of spec/v3.json: validated (spec-validate.mjs) and answered
//               with a schema-shaped 2xx built from the spec (spec-answer.mjs).
// A call on a path of the spec is validated against its operation before either layer runs,
// so a handler receives a request WeChat would accept (unless its route says validate: false).
import { randomUUID } from 'node:crypto';
import { certificates } from './certificates.mjs';
import { V3Error, strip } from './errors.mjs';
import { close, jsapi, queryById, queryByNo } from './orders.mjs';
import { refund, refundQuery } from './refunds.mjs';
import { authenticate, responseHeaders } from './signing.mjs';
import { loadSpec, matchPath } from './spec.mjs';
import { isMultipart, readUpload } from './spec-multipart.mjs';
import { specAnswer } from './spec-answer.mjs';
import { pathParamsFit, validate } from './spec-validate.mjs';
// mockproducts: Native, H5, App, partner, combine, abnormal refunds, profit sharing, transfers, bills, media, complaints
import { PRODUCT_ROUTES } from './products.mjs';

/**
 * [method, path, handler(ctx, match, query, bodyText, call), options?]: WeChat's v3 paths with
 * behaviour. `call` is { method, path, template, op, params, body, headers, upload } (template/op/
 * params: the spec's operation and path parameters; body: the parsed JSON when the spec has one;
 * upload: { meta, file: { data, filename, type } } for a multipart upload, whose body is the meta;
 * op is undefined for a path outside the spec). options: { validate: false } skips the spec's
 * checks for that route.
 */
export const ROUTES = [
  ['POST', /^\/v3\/pay\/transactions\/jsapi$/, (ctx, _m, _q, b) => jsapi(ctx, b)],
  ['GET', /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, (ctx, m, q) => queryByNo(ctx, m[1], q)],
  ['GET', /^\/v3\/pay\/transactions\/id\/([^/]+)$/, (ctx, m, q) => queryById(ctx, m[1], q)],
  ['POST', /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/, (ctx, m, _q, b) => close(ctx, m[1], b)],
  ['POST', /^\/v3\/refund\/domestic\/refunds$/, (ctx, _m, _q, b) => refund(ctx, b)],
  ['GET', /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, (ctx, m) => refundQuery(ctx, m[1])],
  ['GET', /^\/v3\/certificates$/, (ctx, _m, q) => certificates(ctx, q)],
  // --- mockproducts (a block of their own, so that modelled() knows them wherever routes.mjs is imported)
  ...PRODUCT_ROUTES,
  // --- end mockproducts
];

// Read at start (about 0.1 s), not on the first call, whose answer a client may time.
loadSpec();

/** Adds product routes (same shape as ROUTES), consulted before the spec's generic answer. */
export function addRoutes(...routes) {
  ROUTES.push(...routes);
}

/** Whether a specific handler (not the spec's generic answer) serves METHOD path. */
export const modelled = (method, pathname) => ROUTES.some(([m, re]) => m === method && re.test(pathname));

/** The spec's operation for this call: the most specific template with the method whose path parameters fit. */
function specOperation(method, pathname) {
  const found = matchPath(pathname).filter((t) => t.ops[method]);
  const t = found.find((c) => pathParamsFit(c.ops[method], c.params)) ?? found[0];
  return t && { template: t.path, op: t.ops[method], params: t.params };
}

/** The route or spec operation for the call; 404 and 405 as WeChat answers them. */
function find(req, url) {
  const specific = ROUTES.find(([m, re]) => re.test(url.pathname) && m === req.method);
  const spec = specOperation(req.method, url.pathname);
  if (specific || spec) return { specific, spec };
  if (ROUTES.some(([, re]) => re.test(url.pathname)) || matchPath(url.pathname).length)
    throw new V3Error(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
  throw new V3Error(404, 'NOT_FOUND', `no such WeChat Pay v3 path in the mock: ${req.method} ${url.pathname}`);
}

function bodyText(raw, maxBody) {
  if (raw.length > maxBody)
    throw new V3Error(400, 'PARAM_ERROR', `参数错误: 请求体超过 ${maxBody} 字节`, {
      location: 'body',
      issue: 'body too large',
    });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体不是 UTF-8', { location: 'body', issue: 'not UTF-8' });
  }
}

/** The handler's { status, json }; a V3Error thrown before or by it is WeChat's error answer. */
function route(ctx, req, url, raw, maxBody) {
  const { specific, spec } = find(req, url);
  // An upload signs its meta part, not the multipart body (spec-multipart.mjs).
  const upload = isMultipart(spec?.op) && raw.length <= maxBody ? readUpload(req.headers['content-type'], raw) : null;
  const text = upload ? upload.text : bodyText(raw, maxBody);
  authenticate(ctx, req.method, url.pathname + url.search, req.headers, text);
  const call = { method: req.method, path: url.pathname, headers: req.headers, ...spec, upload };
  if (spec && specific?.[3]?.validate !== false)
    call.body = validate(ctx, { ...spec, query: url.searchParams, headers: req.headers, text, upload });
  if (!specific) return specAnswer(ctx, { ...call, query: url.searchParams });
  const [, re, fn] = specific;
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
    return {
      status: result.status,
      headers: { 'Content-Type': result.contentType, 'Request-ID': `mock-${randomUUID()}` },
      body: result.raw,
    };
  }
  const body = result.json === undefined ? '' : JSON.stringify(result.json);
  ctx.log(
    `v3 ${req.method} ${pathAndQuery} → ${result.status}${result.json?.code ? ` ${result.json.code} (${result.json.message})` : ''}`,
  );
  const headers = { ...responseHeaders(ctx, body, req.headers), 'Request-ID': `mock-${randomUUID()}` };
  if (body) headers['Content-Type'] = 'application/json';
  return { status: result.status, headers, body };
}
