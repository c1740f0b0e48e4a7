// A request to any v3 path (issue 27 item 1), checked once for both layers: the raw
// builder `buildRequest` (requests.js) and the client's `request/get/post/…`
// (client-generic.js). What is signed must be what is sent: the Authorization covers the
// method, the URL's path and query and the body bytes, so the URL is refused unless the
// WHATWG URL parser (every fetch) leaves it exactly as written — no dot segments, no
// characters it would percent-encode or rewrite, no fragment — and a spec template's
// `{name}` segments are filled here, percent-encoded, never by string concatenation
// elsewhere.
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { V3_MAX_BODY } from './args.js';

/** The methods WeChat Pay v3 uses. */
const METHODS = Object.freeze(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose request has no body (WeChat signs an empty one). */
const NO_BODY = new Set(['GET', 'DELETE']);
/** The options a generic request takes. */
const REQUEST_OPTIONS = Object.freeze(['params', 'query']);

const invalid = (fn, message, field) =>
  new WxPayError('INVALID_PARAM', `${fn}: ${message}`, field === undefined ? undefined : { field });

function checkMethod(fn, method) {
  if (!METHODS.includes(method))
    throw invalid(
      fn,
      `method must be one of ${METHODS.join(', ')} (upper case), got ${typeof method === 'string' ? JSON.stringify(method.slice(0, 20)) : describe(method)}`,
      'method',
    );
  return method;
}

/** A `params` or `query` value: a string or a finite number (a boolean for a query). */
function scalar(fn, where, name, v, booleans) {
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || (booleans && typeof v === 'boolean'))
    return String(v);
  throw invalid(
    fn,
    `${where}.${name} must be a string or a finite number${booleans ? ' or a boolean' : ''}, got ${describe(v)}`,
    name,
  );
}

/** `{name}` segments filled from `params`, each percent-encoded; a missing or unused one refused. */
function fillParams(fn, url, params) {
  if (params !== undefined && !isPlainObject(params))
    throw invalid(fn, `options.params must be a plain object, got ${describe(params)}`, 'params');
  const used = new Set();
  const filled = url.replace(/\{([^{}/?]*)\}/g, (_whole, name) => {
    if (params === undefined || !Object.hasOwn(params, name))
      throw invalid(fn, `the path parameter {${name}} has no value in options.params`, name);
    const text = scalar(fn, 'params', name, params[name], false);
    if (text === '') throw invalid(fn, `params.${name} is empty: a path segment needs a value`, name);
    used.add(name);
    return encodeURIComponent(text);
  });
  for (const name of Object.keys(params ?? {}))
    if (!used.has(name)) throw invalid(fn, `params.${name} names no {${name}} segment of ${url}`, name);
  return filled;
}

/**
 * A query key or value percent-encoded as fetch sends it: encodeURIComponent, and `'` too,
 * which the URL parser encodes in the query of an https: URL (it would no longer be what
 * was signed).
 */
const queryPart = (text) => encodeURIComponent(text).replace(/'/g, '%27');

/** `?a=1&b=2` from an object, in its key order; undefined values left out. */
function queryString(fn, query) {
  if (query === undefined) return '';
  if (!isPlainObject(query)) throw invalid(fn, `options.query must be a plain object, got ${describe(query)}`, 'query');
  const parts = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(`${queryPart(k)}=${queryPart(scalar(fn, 'query', k, v, true))}`);
  }
  return parts.join('&');
}

/** What the caller wrote, quoted for an error message: escaped, cut to 64 characters (with its length). */
const quoted = (text) =>
  text.length > 64 ? `${JSON.stringify(text.slice(0, 64))}… (${text.length} characters)` : JSON.stringify(text);

/** Refuses a URL that is not a v3 path the parser leaves exactly as written (so the signature covers what is sent). */
function checkUrl(fn, url) {
  if (typeof url !== 'string') throw invalid(fn, `url must be a string, got ${describe(url)}`, 'url');
  if (!url.startsWith('/v3/'))
    throw invalid(
      fn,
      `url must be a path starting with /v3/ (no scheme or host: baseUrl gives those), got ${quoted(url)}`,
      'url',
    );
  if (/[^\x21-\x7e]/.test(url))
    throw invalid(
      fn,
      'url contains whitespace, a control or a non-ASCII character: percent-encode it (or pass it in options.params / options.query)',
      'url',
    );
  if (url.includes('#'))
    throw invalid(fn, 'url contains a fragment (#): it is never sent, so it cannot be signed', 'url');
  if (/[{}]/.test(url))
    throw invalid(
      fn,
      `url has an unfilled path parameter or a stray brace: ${quoted(url.match(/\{[^}]*\}?|\}/)[0])}`,
      'url',
    );
  const u = new URL(url, 'https://api.mch.weixin.qq.com');
  if (u.origin !== 'https://api.mch.weixin.qq.com' || u.pathname + u.search !== url)
    throw invalid(
      fn,
      `url would be sent as ${quoted(u.pathname + u.search)} (dot segments, a backslash or characters a URL rewrites): write it as it is sent`,
      'url',
    );
  return url;
}

/** The body as the JSON text signed and sent: a plain object or an array, or '' when there is none. */
function bodyText(fn, method, body) {
  if (body === undefined) return '';
  if (NO_BODY.has(method)) throw invalid(fn, `a ${method} request has no body, got ${describe(body)}`, 'body');
  if (!isPlainObject(body) && !Array.isArray(body))
    throw invalid(fn, `body must be a plain object or an array (it is sent as JSON), got ${describe(body)}`, 'body');
  let text;
  try {
    text = JSON.stringify(body);
  } catch {
    throw invalid(fn, 'body cannot be written as JSON (a cycle or a BigInt)', 'body');
  }
  if (text.length > V3_MAX_BODY)
    throw new WxPayError(
      'INPUT_TOO_LARGE',
      `${fn}: the body is at least ${text.length} bytes; the limit is ${V3_MAX_BODY}`,
      { field: 'body' },
    );
  return text;
}

/** `{ method, url, body }` for any v3 path: every argument checked, the template filled, the query appended. */
function genericRequest(fn, method, url, body, options) {
  checkMethod(fn, method);
  if (options !== undefined) {
    if (!isPlainObject(options))
      throw invalid(fn, `options must be a plain object, got ${describe(options)}`, 'options');
    for (const k of Object.keys(options))
      if (!REQUEST_OPTIONS.includes(k))
        throw invalid(fn, `unknown option \`${k}\` (options are: ${REQUEST_OPTIONS.join(', ')})`, k);
  }
  if (typeof url !== 'string' || !url.startsWith('/v3/')) checkUrl(fn, url); // its own message, first
  const query = queryString(fn, options?.query);
  const path = fillParams(fn, url, options?.params);
  const full = query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`;
  return { method, url: checkUrl(fn, full), body: bodyText(fn, method, body) };
}

export { METHODS, NO_BODY, genericRequest };
