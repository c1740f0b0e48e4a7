// The 2xx answer of an operation the mock has no behaviour for, shaped by the spec's answer
// schema. The derived spec has no examples, so values are synthesised, deterministically:
// a field the request also has (out_trade_no, mchid, amount.total, a path parameter…) echoes
// the request's value, so answers are coherent with what was asked; mchid/appid are the mock's
// merchant; the others come from their schema (enum: its first value; formats: a fixed time,
// date, URL, base64, digits; integers: their minimum or 1). Every property of an object is
// written down to MAX_DEPTH, required ones below it; arrays have one item.
import { loadSpec } from './spec.mjs';

const MAX_DEPTH = 4;
const HARD_DEPTH = 10;
/** The fixed instant of every synthesised time: the answers of one request are the same each time. */
const TIME = '2026-12-07T10:34:56+08:00';

/** name → scalar value, from the path parameters, the query and the body (depth first, first wins). */
function echoes({ params = {}, query, body }) {
  const out = new Map();
  const walk = (v, name) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) for (const x of v) walk(x, name);
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (name && !out.has(name)) out.set(name, v);
  };
  for (const [k, v] of Object.entries(params)) walk(v, k);
  for (const [k, v] of query ?? []) walk(v, k);
  walk(body, undefined);
  return out;
}

/** The echoed value when it fits the schema's type and enum. */
function echo(s, type, v) {
  if (v === undefined) return undefined;
  const fits =
    (type === 'string' && typeof v === 'string') ||
    (type === 'integer' && Number.isInteger(v)) ||
    (type === 'number' && typeof v === 'number') ||
    (type === 'boolean' && typeof v === 'boolean');
  return fits && (!s.enum || s.enum.includes(v)) ? v : undefined;
}

function sized(s, text) {
  let v = text;
  if (s.maxLength !== undefined) v = v.slice(0, s.maxLength);
  while (s.minLength !== undefined && [...v].length < s.minLength) v += '0';
  return v;
}

/** A string from the field's format, else its name. */
function stringFor(s, name) {
  if (s.enum) return s.enum[0];
  if (s['x-json']) return JSON.stringify(value(s['x-json'], name, { depth: 0, echoes: new Map() }));
  switch (s.format) {
    case 'rfc3339':
      return TIME;
    case 'date':
      return TIME.slice(0, 10);
    case 'url':
    case 'MediaUrl':
      return `https://mock.wxpay.invalid/${name ?? 'url'}`;
    case 'base64':
      return Buffer.from(`mock ${name ?? 'value'}`).toString('base64');
    case 'int64':
    case 'uint64':
    case 'numeric':
      return sized(s, '1234567890');
    default:
      if (/_time$/.test(name ?? '')) return TIME;
      return sized(s, `mock_${name ?? 'value'}`);
  }
}

function typeOf(s) {
  const t = typeof s.type === 'string' ? s.type.trim() : s.type;
  if (t === 'int') return 'integer';
  if (t === 'stringde') return 'string';
  return t ?? (s.properties ? 'object' : s.items ? 'array' : 'string');
}

/** The value of one schema. `at`: { depth, echoes, cfg }. */
function value(schema, name, at) {
  const s = loadSpec().flat(schema);
  const type = typeOf(s);
  if (type === 'object') {
    const required = new Set(s.required ?? []);
    const out = {};
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      if (at.depth >= HARD_DEPTH || (at.depth >= MAX_DEPTH && !required.has(k))) continue;
      out[k] = value(sub, k, { ...at, depth: at.depth + 1 });
    }
    return out;
  }
  if (type === 'array') return at.depth >= HARD_DEPTH ? [] : [value(s.items, name, { ...at, depth: at.depth + 1 })];
  const echoed = echo(s, type, at.echoes.get(name));
  if (echoed !== undefined) return echoed;
  if ((name === 'mchid' || name === 'sp_mchid' || name === 'mch_id') && type === 'string' && at.cfg)
    return at.cfg.mchid;
  if ((name === 'appid' || name === 'sp_appid') && type === 'string' && at.cfg) return at.cfg.appid;
  if (/currency$/.test(name ?? '') && type === 'string' && !s.enum) return 'CNY';
  if (type === 'integer' || type === 'number')
    return s.enum?.[0] ?? Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? 1);
  if (type === 'boolean') return s.enum?.[0] ?? false;
  return stringFor(s, name);
}

/**
 * The generic answer of `call` ({ op, params, query, body }): the first 2xx of the spec, its
 * schema synthesised; no body where the spec's answer is null (204, or a 200 download).
 */
export function specAnswer(ctx, call) {
  const [status, schema] = Object.entries(call.op.responses ?? { 204: null })[0];
  if (status === '204' || (!schema && !call.op.produces)) return { status: 204 };
  // A download (a bill, a PDF): its bytes are a product's behaviour; here an empty 200.
  if (!schema) return { status: 200 };
  return { status: Number(status), json: synthesise(ctx, call, schema) };
}

/** A value for `schema` echoing what `call` asked: exported for product routes that start from it. */
export function synthesise(ctx, call, schema = Object.values(call.op.responses ?? {})[0]) {
  return value(schema, undefined, { depth: 0, echoes: echoes(call), cfg: ctx?.cfg });
}
