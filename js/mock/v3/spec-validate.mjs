// A v3 request checked against its operation in the derived spec, as WeChat checks it: path,
// query and header parameters, then the JSON body (required fields at every depth, types,
// enums, lengths, the cheap formats). The first fault is answered as WeChat does: 400
// PARAM_ERROR, `detail.field` the JSON pointer of the field (/amount/total, as WeChat's own
// example in its docs) or the parameter's name, `detail.location` body | query | path | header.
// Fields the spec does not name are ignored, as WeChat ignores them (its docs ask merchants to
// tolerate new fields, and it adds fields to requests without a version): refusing them would
// turn the spec's gaps into false errors.
import { V3Error } from './errors.mjs';
import { json } from './request.mjs';
import { loadSpec } from './spec.mjs';
import { checkSha256 } from './spec-multipart.mjs';

/** RFC 3339 date-time, as WeChat writes it (2026-12-07T10:34:56+08:00), fraction allowed. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DIGITS = /^\d+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A string format's check: a reason when `v` does not fit, else undefined. */
const FORMATS = {
  rfc3339: (v) => (RFC3339.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'RFC 3339 时间格式错误'),
  date: (v) => (DATE.test(v) ? undefined : '日期格式应为 yyyy-MM-dd'),
  int64: (v) => (DIGITS.test(v) ? undefined : '应为数字串'),
  uint64: (v) => (DIGITS.test(v) ? undefined : '应为数字串'),
  numeric: (v) => (DIGITS.test(v) ? undefined : '应为数字串'),
  base64: (v) => (v.length % 4 === 0 && BASE64.test(v) ? undefined : '应为 base64 编码'),
  url: (v) => (/^https?:\/\/[^\s/]+\S*$/.test(v) ? undefined : '应为 http(s) URL'),
};

/** WeChat's PARAM_ERROR for one field: `输入源“/body/amount/total”…规则校验失败，…`. */
function fault(location, field, rule, issue, value) {
  const source = location === 'body' ? `/body${field}` : `/${location}/${field}`;
  return new V3Error(400, 'PARAM_ERROR', `输入源“${source}”映射到字段“${leaf(field)}”${rule}规则校验失败，${issue}`, {
    field,
    ...(value === undefined ? {} : { value }),
    issue,
    location,
  });
}

const leaf = (field) => field.split('/').pop();
const missing = (location, field) => fault(location, field, '必填性', '此字段为必填项');

/** The schema's type, the source's misspellings read as meant ('int', 'string ', 'stringde'). */
function typeOf(s) {
  const t = typeof s.type === 'string' ? s.type.trim() : s.type;
  if (t === 'int') return 'integer';
  if (t === 'stringde') return 'string';
  return t ?? (s.properties ? 'object' : undefined);
}

/** A JSON value against a flattened schema; throws the first fault. `field` is its pointer (body) or name. */
function check(v, schema, field, location) {
  const { flat } = loadSpec();
  const s = flat(schema);
  if (v === null) {
    if (s.nullable) return;
    throw fault(location, field, '类型', '不能为 null', v);
  }
  const type = typeOf(s);
  const typeFault = (what) => fault(location, field, '类型', `此字段需要${what}`, v);
  if (type === 'object') {
    if (typeof v !== 'object' || Array.isArray(v)) throw typeFault('一个 JSON 对象');
    for (const r of s.required ?? []) if (v[r] === undefined) throw missing(location, `${field}/${r}`);
    for (const [k, sub] of Object.entries(s.properties ?? {}))
      if (v[k] !== undefined) check(v[k], sub, `${field}/${k}`, location);
    return;
  }
  if (type === 'array') {
    if (!Array.isArray(v)) throw typeFault('一个 JSON 数组');
    if (s.minItems !== undefined && v.length < s.minItems)
      throw fault(location, field, '数组', `元素个数 ${v.length}，小于最小值 ${s.minItems}`, v.length);
    if (s.maxItems !== undefined && v.length > s.maxItems)
      throw fault(location, field, '数组', `元素个数 ${v.length}，大于最大值 ${s.maxItems}`, v.length);
    for (const [i, x] of v.entries()) check(x, s.items, `${field}/${i}`, location);
    return;
  }
  scalar(v, s, type, field, location, typeFault);
}

function scalar(v, s, type, field, location, typeFault) {
  if (type === 'string') {
    if (typeof v !== 'string') throw typeFault('一个字符串');
    string(v, s, field, location);
  } else if (type === 'integer' || (type === 'number' && /int/.test(s.format ?? ''))) {
    if (!Number.isInteger(v)) throw typeFault('一个合法的 64 位有符号整数');
  } else if (type === 'number') {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw typeFault('一个数字');
  } else if (type === 'boolean') {
    if (typeof v !== 'boolean') throw typeFault('一个布尔值 (true/false)');
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) throw fault(location, field, '数值', `小于最小值 ${s.minimum}`, v);
    if (s.maximum !== undefined && v > s.maximum) throw fault(location, field, '数值', `大于最大值 ${s.maximum}`, v);
  }
  // The source writes some string enums as numbers (bank_account_type: [74, 75]): compared as text.
  if (s.enum && !s.enum.includes(v) && !(typeof v === 'string' && s.enum.map(String).includes(v)))
    throw fault(location, field, '枚举', `取值不在 ${s.enum.join(', ')} 之中 (not one of its values)`, v);
}

/** Lengths in UTF-8 bytes, as WeChat counts them (its message says 字节数; a Chinese character is 3). */
function string(v, s, field, location) {
  const n = Buffer.byteLength(v);
  if (s.minLength !== undefined && n < s.minLength)
    throw fault(location, field, '字符串', `字节数 ${n}，小于最小值 ${s.minLength}`, v);
  if (s.maxLength !== undefined && n > s.maxLength)
    throw fault(location, field, '字符串', `字节数 ${n}，大于最大值 ${s.maxLength}`, v);
  const bad = FORMATS[s.format]?.(v);
  if (bad) throw fault(location, field, '格式', bad, v);
  if (s.pattern && !patternFits(s.pattern, v)) throw fault(location, field, '正则', `不匹配 ${s.pattern}`, v);
  if (s['x-json']) jsonString(v, s['x-json'], field, location);
}

/** A string that holds JSON (the spec's jsonObjectLike / jsonArrayLike, x-json its schema). */
function jsonString(v, schema, field, location) {
  let parsed;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw fault(location, field, '格式', '应为 JSON 文本', v);
  }
  check(parsed, schema, field, location);
}

/**
 * The spec's patterns are the source's: PHP-style, between slashes, unanchored (/\d{8}|\d{14}/).
 * Read as anchored at both ends (the whole value must fit); one that is not a JS RegExp is not checked.
 */
function patternFits(pattern, v) {
  const body = /^\/(.*)\/$/.exec(pattern)?.[1] ?? pattern;
  try {
    return new RegExp(`^(?:${body})$`, 'u').test(v);
  } catch {
    return true;
  }
}

/** A path or query parameter (always text) as the JSON value its schema types it as, or the text (a list: comma-separated). */
function typed(text, schema) {
  const s = loadSpec().flat(schema);
  const type = typeOf(s);
  if (type === 'array') return text.split(',').map((x) => typed(x, s.items));
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Parameters in one place (path, query, header): required ones present, each checked by its schema. */
function parameters(schema, get, location) {
  if (!schema) return;
  for (const r of schema.required ?? []) if (get(r) === undefined || get(r) === '') throw missing(location, r);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const text = get(name);
    if (text !== undefined) check(typed(text, sub), sub, name, location);
  }
}

/** Whether a path's parameters fit the operation (picks between templates of one shape). */
export function pathParamsFit(op, params) {
  try {
    parameters(op.parameters?.path, (n) => params[n], 'path');
    return true;
  } catch (e) {
    if (e instanceof V3Error) return false;
    throw e;
  }
}

/** The serials a request's Wechatpay-Serial may name in the mock's key mode. */
function serials({ mode, cfg }) {
  if (mode === 'pubkey') return [cfg.publicKeyId];
  if (mode === 'cert') return [cfg.platformSerial];
  return [cfg.publicKeyId, cfg.platformSerial];
}

/** Whether a value carries a field the spec marks as encrypted (format base64: OAEP ciphertext). */
function encrypted(v, schema) {
  const s = loadSpec().flat(schema);
  if (v === null || v === undefined) return false;
  if (s.format === 'base64') return true;
  if (Array.isArray(v)) return v.some((x) => encrypted(x, s.items));
  if (typeof v !== 'object') return false;
  return Object.entries(s.properties ?? {}).some(([k, sub]) => encrypted(v[k], sub));
}

/**
 * Wechatpay-Serial names the WeChat Pay key the merchant encrypted with, so WeChat can decrypt:
 * the source marks it required on the operations with encrypted fields (111 of its 113), and
 * the mock requires it when the request carries one; when sent, it must be the mode's key.
 */
function checkSerial(ctx, op, headers, carries) {
  if (!op.parameters?.header?.properties?.['Wechatpay-Serial']) return;
  const serial = headers['wechatpay-serial'];
  if (serial === undefined) {
    if (carries && op.parameters.header.required?.includes('Wechatpay-Serial'))
      throw missing('header', 'Wechatpay-Serial');
    return;
  }
  if (!serials(ctx).includes(serial))
    throw new V3Error(400, 'PARAM_ERROR', '平台证书序列号Wechatpay-Serial错误', {
      field: 'Wechatpay-Serial',
      value: serial,
      issue: `the mock's WeChat Pay key in use is ${serials(ctx).join(' or ')}`,
      location: 'header',
    });
}

/** The header parameters but Wechatpay-Serial (checkSerial's, after the body). */
function withoutSerial(schema) {
  if (!schema) return schema;
  const { 'Wechatpay-Serial': _, ...properties } = schema.properties ?? {};
  return { ...schema, properties, required: schema.required?.filter((n) => n !== 'Wechatpay-Serial') };
}

/**
 * Checks one call against its operation `op` (path `params` decoded, `query` URLSearchParams,
 * `headers` Node's lower-cased, `text` the body) and returns the parsed JSON body, if the
 * operation has one (an upload's: its meta). Throws WeChat's PARAM_ERROR for the first fault.
 */
export function validate(ctx, { op, params, query, headers, text, upload }) {
  const p = op.parameters ?? {};
  const get = (n) => query.get(n) ?? undefined;
  parameters(p.path, (n) => params[n], 'path');
  parameters(p.query, get, 'query');
  parameters(withoutSerial(p.header), (n) => headers[n.toLowerCase()], 'header');
  const inQuery = Object.entries(p.query?.properties ?? {}).some(([n, sub]) => encrypted(get(n), sub));
  let body;
  if (upload) body = validUpload(op, upload);
  else if (op.body) {
    body = text === '' && !loadSpec().flat(op.body).required?.length ? {} : json(text);
    check(body, op.body, '', 'body');
  }
  checkSerial(ctx, op, headers, inQuery || (op.body !== undefined && encrypted(body, op.body)));
  return body;
}

/** An upload's meta checked by the spec's x-json schema of its meta part, then its sha256. */
function validUpload(op, upload) {
  const schema = op.parameters?.formData?.properties?.meta?.['x-json'];
  if (schema) check(upload.meta, schema, '/meta', 'body');
  checkSha256(upload);
  return upload.meta;
}
