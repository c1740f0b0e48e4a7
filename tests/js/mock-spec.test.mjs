// The mock answers the whole v3 API (issue 28): for EVERY operation of spec/v3.json, a valid
// request and one with a required field missing, built here from the spec (this file's own
// schema reader and value generator, not the mock's), signed here with node:crypto and the
// merchant key of the mock's keys folder, sent over HTTP to the packaged mock (pkg/cli/mock,
// which reads the package's compact spec.json). Every answer's signature is verified here with
// node:crypto against the WeChat Pay public key on disk. Then 404, 405 and path-aimed faults.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, createSign, createVerify, publicEncrypt, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import wx from '../../pkg/node/index.mjs';
import { createMock } from '../../pkg/cli/mock/server.mjs';
import { modelled } from '../../pkg/cli/mock/v3/routes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = JSON.parse(readFileSync(join(root, 'spec/v3.json'), 'utf8'));
const CONCURRENCY = 16;

let mock;
let port;
let cfg;
let merchantKey;
let wechatPublicKey;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

before(async () => {
  mock = createMock({ wx, key: '192006250b4c09247ec02edce69f6a2d', log: () => {}, refundDelay: -1 });
  port = new URL(await mock.listen(0)).port;
  cfg = mock.v3Keys.config;
  merchantKey = readFileSync(join(mock.v3Keys.dir, 'apiclient_key.pem'), 'utf8');
  wechatPublicKey = readFileSync(join(mock.v3Keys.dir, 'pub_key.pem'), 'utf8');
});
after(async () => {
  agent.destroy();
  await mock.close();
});

// --- the spec read here: $ref followed, allOf merged ---------------------------------------
function resolve(schema) {
  if (!schema) return {};
  if (schema.$ref) return resolve(SPEC.definitions[schema.$ref.slice('#/definitions/'.length)]);
  if (!schema.allOf) return schema;
  const parts = [...schema.allOf.map(resolve), { ...schema, allOf: undefined }];
  return parts.reduce(
    (a, b) => ({
      ...a,
      ...b,
      type: b.type ?? a.type ?? (a.properties || b.properties ? 'object' : undefined),
      properties: { ...a.properties, ...b.properties },
      required: [...new Set([...(a.required ?? []), ...(b.required ?? [])])],
    }),
    {},
  );
}

// --- valid values, generated from the schema --------------------------------------------------
/** Values for the spec's few patterns (PHP-style, between slashes). */
const PATTERNS = { '/[0-9]{6}/': '123456', '/\\d{8}|\\d{14}/': '20261207', '/\\d{8}|\\d{14}|OnAccept/': 'OnAccept' };

function text(s, name) {
  if (s.enum) return String(s.enum[0]);
  if (/url$/.test(name ?? '') || s.format === 'url') return 'https://merchant.example/notify';
  if (s.pattern && PATTERNS[s.pattern]) return PATTERNS[s.pattern];
  if (s['x-json']) return JSON.stringify(valid(s['x-json'], 0));
  if (name === 'mchid' || name === 'sp_mchid') return cfg.mchid;
  if (name === 'appid' || name === 'sp_appid') return cfg.appid;
  if (name === 'currency') return 'CNY';
  // mockproducts: the products' handlers read dates and decrypt sensitive fields as WeChat does, so the
  // generated request carries a date where a *_date is asked, and OAEP ciphertext (to the WeChat Pay
  // public key, node:crypto) where the spec says base64.
  if (/_date$/.test(name ?? '') && !s.format) return '2026-12-07';
  if (s.format === 'base64')
    return publicEncrypt({ key: wechatPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('T20261207')).toString('base64');
  const fill = (v) => v.padEnd(s.minLength ?? 0, '0').slice(0, s.maxLength ?? Infinity);
  switch (s.format) {
    case 'rfc3339':
      return '2026-12-07T18:00:00+08:00';
    case 'date':
      return '2026-12-07';
    case 'base64':
      return randomBytes(12).toString('base64');
    case 'int64':
    case 'uint64':
    case 'numeric':
      return fill('20261207');
    default:
      return fill('T20261207');
  }
}

function valid(schema, depth, name) {
  const s = resolve(schema);
  const type = typeof s.type === 'string' ? s.type.trim() : s.properties ? 'object' : s.type;
  if (type === 'object') {
    const out = {};
    for (const [k, sub] of Object.entries(s.properties ?? {}))
      if (depth < 3 || s.required?.includes(k)) out[k] = valid(sub, depth + 1, k);
    return out;
  }
  if (type === 'array') return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => valid(s.items, depth + 1, name));
  if (type === 'integer' || type === 'number') return s.enum?.[0] ?? Math.min(Math.max(1, s.minimum ?? 1), s.maximum ?? 1);
  if (type === 'boolean') return true;
  return text(s, name);
}

/** The pointer of the first required field, followed down while it is an object or array with required fields. */
function firstRequired(schema, body, pointer = '') {
  const s = resolve(schema);
  const items = resolve(s.items);
  if (Array.isArray(body) && items.required?.length) return firstRequired(s.items, body[0], `${pointer}/0`);
  const k = s.required?.find((r) => r in (body ?? {}));
  if (k === undefined) return pointer || undefined;
  return firstRequired(s.properties[k], body[k], `${pointer}/${k}`);
}

function without(body, pointer) {
  const copy = structuredClone(body);
  const keys = pointer.split('/').slice(1);
  const last = keys.pop();
  delete keys.reduce((o, k) => o[k], copy)[last];
  return copy;
}

// --- one request, built, signed and sent -------------------------------------------------------
/** { method, path, headers, body, signed } for op, with its required field `drop` missing (a body pointer or a query name). */
function build(method, template, op, drop) {
  const p = op.parameters ?? {};
  const path = template.replace(/\{([^}]+)\}/g, (_, n) =>
    encodeURIComponent(String(valid(p.path?.properties?.[n] ?? { type: 'string' }, 1, n))),
  );
  const query = new URLSearchParams();
  for (const [n, sub] of Object.entries(p.query?.properties ?? {}))
    if (n !== drop?.query) query.append(n, [valid(sub, 1, n)].flat().join(','));
  const headers = { 'wechatpay-serial': cfg.publicKeyId };
  for (const n of p.header?.required ?? [])
    if (n !== 'Wechatpay-Serial') headers[n.toLowerCase()] = String(valid(p.header.properties[n], 1, n));
  const url = query.size ? `${path}?${query}` : path;
  if (op.consumes?.includes('multipart/form-data')) return upload(method, url, headers, op, drop?.body);
  if (!op.body) return { method, url, headers, body: '', signed: '' };
  let json = valid(op.body, 0);
  if (drop?.body) json = without(json, drop.body);
  const body = JSON.stringify(json);
  return { method, url, headers: { ...headers, 'content-type': 'application/json' }, body, signed: body };
}

/** An upload: the meta (filename, sha256 of the file) signed, in a multipart body with the file. */
function upload(method, url, headers, op, drop) {
  const file = Buffer.from('\x89PNG mock image bytes');
  let meta = { ...valid(op.parameters.formData.properties.meta['x-json'], 0) };
  meta.filename = 'a.png';
  meta.sha256 = createHash('sha256').update(file).digest('hex');
  if (drop) meta = without({ meta }, drop).meta;
  const signed = JSON.stringify(meta);
  const b = `mockspec${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${signed}\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { method, url, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${b}` }, body, signed };
}

function authorization(method, url, signed) {
  const ts = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256').update(`${method}\n${url}\n${ts}\n${nonce}\n${signed}\n`).sign(merchantKey, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${cfg.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${cfg.serialNo}"`;
}

/** Sends a built request: { status, headers, text, json, signedOk }. */
function send({ method, url, headers, body, signed }) {
  return new Promise((ok, fail) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        // Content-Length always: Node sends a DELETE's body without it (nor chunked) otherwise.
        headers: { ...headers, 'content-length': Buffer.byteLength(body), authorization: authorization(method, url, signed) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const h = res.headers;
          const signedOk =
            h['wechatpay-serial'] === cfg.publicKeyId &&
            createVerify('RSA-SHA256')
              .update(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${text}\n`)
              .verify(wechatPublicKey, h['wechatpay-signature'] ?? '', 'base64');
          ok({ status: res.statusCode, headers: h, text, json: text ? JSON.parse(text) : undefined, signedOk });
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Runs `jobs` (functions returning promises) CONCURRENCY at a time. */
async function pool(jobs) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

const OPERATIONS = Object.entries(SPEC.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ method, path, op })),
);

/** The first required field of the operation to leave out: in its body (or upload meta), else its query. */
function requiredToDrop({ op }) {
  const meta = op.parameters?.formData?.properties?.meta?.['x-json'];
  if (meta && resolve(meta).required?.length) return { body: `/meta/${resolve(meta).required[0]}`, location: 'body' };
  if (op.body) {
    const pointer = firstRequired(op.body, valid(op.body, 0));
    if (pointer) return { body: pointer, location: 'body' };
  }
  const q = op.parameters?.query?.required?.[0];
  return q ? { query: q, location: 'query' } : undefined;
}

test('every operation of spec/v3.json: a valid request gets a signed 2xx, one without a required field a signed 400 PARAM_ERROR naming it', async () => {
  assert.equal(OPERATIONS.length, 992);
  const started = performance.now();
  const jobs = [];
  const failures = [];
  let withRequired = 0;
  let behaviour = 0;
  for (const o of OPERATIONS) {
    const isModelled = modelled(o.method, o.path.replace(/\{[^}]+\}/g, 'T20261207'));
    if (isModelled) behaviour += 1;
    jobs.push(async () => {
      const r = await send(build(o.method, o.path, o.op));
      const [status, schema] = Object.entries(o.op.responses)[0];
      const expected = schema === null && !o.op.produces ? 204 : Number(status);
      // A route with behaviour answers as the product does (a query of an order it does not know: 404 ORDER_NOT_EXIST).
      const fits = isModelled ? r.status !== 405 && r.status < 500 && r.json?.code !== 'PARAM_ERROR' : r.status === expected;
      const shaped = isModelled || !schema || (resolve(schema).required ?? []).every((k) => r.json?.[k] !== undefined);
      if (!fits || !r.signedOk || !shaped) failures.push(`${o.method} ${o.path}: ${r.status} ${r.text.slice(0, 300)}`);
    });
    const drop = requiredToDrop(o);
    if (!drop) continue;
    withRequired += 1;
    jobs.push(async () => {
      const r = await send(build(o.method, o.path, o.op, drop));
      const field = drop.body ?? drop.query;
      const fits = r.status === 400 && r.json?.code === 'PARAM_ERROR' && r.json.detail?.field === field;
      if (!fits || r.json.detail.location !== drop.location || !r.signedOk)
        failures.push(`${o.method} ${o.path} without ${field}: ${r.status} ${r.text.slice(0, 300)}`);
    });
  }
  await pool(jobs);
  const ms = Math.round(performance.now() - started);
  console.log(`# ${OPERATIONS.length} operations (${behaviour} with behaviour), ${withRequired} with a required field left out, ${jobs.length} requests in ${ms} ms`);
  assert.deepEqual(failures, []);
});
