// The derived v3 spec (spec/v3.json, see spec/NOTICE.md) as the mock reads it: loaded once,
// its path templates compiled, its schemas flattened ($ref followed, allOf merged). The npm
// package carries a compact copy beside this file (spec.json.gz, written by scripts/build-pkg.mjs
// with compactSpec below: the operations' structure only, minified, with the licence notice,
// gzipped: 97 KB instead of 1.3 MB installed); a checkout reads spec/v3.json itself, so there is
// no second copy of the spec in git.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** What an operation keeps in the package's copy: what the validator and the answer use. */
const OP_KEYS = ['parameters', 'body', 'responses', 'consumes', 'produces'];

/** The MIT notice the source's licence asks to travel with the data (spec/NOTICE.md quotes it). */
const NOTICE =
  'Derived from https://github.com/TheNorthMemory/wechatpay-openapi (MIT). Copyright (c) 2020-present ' +
  'James ZHANG(TheNorthMemory). Permission is hereby granted, free of charge, to any person obtaining a copy ' +
  'of this software and associated documentation files (the "Software"), to deal in the Software without ' +
  'restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, ' +
  'sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished ' +
  'to do so, subject to the following conditions: The above copyright notice and this permission notice ' +
  'shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS ' +
  'IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF ' +
  'MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR ' +
  'COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, ' +
  'TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS ' +
  'IN THE SOFTWARE.';

/** spec/v3.json → the package's spec.json text: source, notice, definitions, and each operation's OP_KEYS. */
export function compactSpec(spec) {
  const paths = {};
  for (const [path, ops] of Object.entries(spec.paths)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops))
      paths[path][method] = Object.fromEntries(OP_KEYS.filter((k) => k in op).map((k) => [k, op[k]]));
  }
  return JSON.stringify({ source: spec.source, notice: NOTICE, definitions: spec.definitions, paths });
}

let loaded;

/** The spec: the package's spec.json.gz, else the checkout's spec/v3.json. Read once. */
export function loadSpec() {
  if (loaded) return loaded;
  const packaged = new URL('./spec.json.gz', import.meta.url);
  const text = existsSync(packaged)
    ? gunzipSync(readFileSync(packaged)).toString('utf8')
    : readFileSync(new URL('../../../spec/v3.json', import.meta.url), 'utf8');
  const spec = JSON.parse(text);
  loaded = { spec, templates: compile(spec.paths), flat: flattener(spec.definitions) };
  return loaded;
}

/** Each path template as { path, ops, re, names, literals } grouped by its segment count. */
function compile(paths) {
  const bySegments = new Map();
  for (const [path, ops] of Object.entries(paths)) {
    const segs = path.split('/');
    const names = [];
    const re = new RegExp(
      `^${segs
        .map((s) => {
          const m = /^\{([^}]+)\}$/.exec(s);
          if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1]);
          return '([^/]+)';
        })
        .join('/')}$`,
    );
    // Which segments are literal, as a string that sorts the more specific template first.
    const literals = segs.map((s) => (s.startsWith('{') ? '1' : '0')).join('');
    const list = bySegments.get(segs.length) ?? [];
    list.push({ path, ops, re, names, literals });
    bySegments.set(segs.length, list);
  }
  for (const list of bySegments.values()) list.sort((a, b) => a.literals.localeCompare(b.literals));
  return bySegments;
}

/**
 * The spec's templates matching a request path (raw, as sent), the most specific first (a
 * literal segment beats a parameter, left to right): [{ path, ops, params }]. `params` holds
 * the decoded segments by name; a segment that does not decode is kept raw.
 */
export function matchPath(pathname) {
  const { templates } = loadSpec();
  const out = [];
  for (const t of templates.get(pathname.split('/').length) ?? []) {
    const m = t.re.exec(pathname);
    if (!m) continue;
    const params = Object.fromEntries(t.names.map((n, i) => [n, decode(m[i + 1])]));
    out.push({ path: t.path, ops: t.ops, params });
  }
  return out;
}

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A schema flattened for checking and answering: $ref followed, allOf merged, memoised. The
 * source uses allOf in two ways, and the merge reads each as meant (see merge below).
 */
function flattener(definitions) {
  const memo = new WeakMap();
  const flat = (schema) => {
    if (!schema || typeof schema !== 'object') return {};
    if (memo.has(schema)) return memo.get(schema);
    let out;
    if (schema.$ref) out = flat(definitions[schema.$ref.replace('#/definitions/', '')]);
    else if (schema.allOf) {
      const { allOf, ...rest } = schema;
      out = [...allOf.map(flat), rest].reduce((a, b) => merge(a, b, flat), {});
    } else out = schema;
    memo.set(schema, out);
    return out;
  };
  return flat;
}

/**
 * Two allOf members as one schema. Objects compose: properties of both, required joined, and a
 * property both members name must satisfy both (the h5 order's scene_info: SceneInfo's
 * payer_client_ip required, and h5_info required too), so its two schemas merge in turn.
 * Enums extend: every allOf of the spec over an enumeration adds the endpoint's own values to a
 * shared one (tradebill's bill_type: BillType's ALL, SUCCESS, REFUND plus RECHARGE_REFUND and the
 * *_SPECIAL kinds; the e-commerce balance's account_type: BillAccountType plus DEPOSIT; busifavor's
 * coupon_state plus the REDEEM states), as WeChat's docs list them, so the values are joined; read
 * as an intersection, no value would be accepted. Other keywords: the last member's that has them.
 */
function merge(a, b, flat) {
  const out = { ...a, ...b };
  if (a.properties || b.properties) {
    out.properties = { ...a.properties, ...b.properties };
    for (const k of Object.keys(a.properties ?? {}))
      if (b.properties?.[k]) out.properties[k] = merge(flat(a.properties[k]), flat(b.properties[k]), flat);
  }
  if (a.enum && b.enum) out.enum = [...new Set([...a.enum, ...b.enum])];
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (!b.type && a.type) out.type = a.type;
  if (!out.type && out.properties) out.type = 'object';
  return out;
}

/** Every operation of the spec: [{ method, path, op }] (for tests and the docs' counts). */
export function operations() {
  const { spec } = loadSpec();
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method, path, op })),
  );
}
