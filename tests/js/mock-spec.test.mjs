// The mock answers the whole v3 API (issue 28): for EVERY operation of spec/v3.json, a valid
// request and one with a required field missing, built here from the spec (this file's own
// schema reader and value generator, not the mock's), signed here with node:crypto and the
// merchant key of the mock's keys folder, sent over HTTP to the packaged mock started as a
// child process (`wxpay-wasm mock` from pkg/cli, which reads the package's compact spec.json;
// its own core for its RSA work, as this process signs in libuv's thread pool). Every answer's
// signature is verified here with node:crypto against the WeChat Pay public key on disk. Then
// 404, 405, wrong types and enums, Wechatpay-Serial, and path-aimed faults.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  createVerify,
  publicEncrypt,
  randomBytes,
  sign,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent, request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { modelled } from '../../pkg/cli/mock/v3/routes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = JSON.parse(readFileSync(join(root, 'spec/v3.json'), 'utf8'));
const CONCURRENCY = 16;

let child;
let keysDir;
let port;
let cfg;
let merchantKey;
let wechatPublicKey;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

before(async () => {
  keysDir = mkdtempSync(join(tmpdir(), 'wxpay-mock-spec-'));
  const args = ['--key', '192006250b4c09247ec02edce69f6a2d', '--port', '0', '--keys-dir', keysDir];
  child = spawn(process.execPath, [join(root, 'pkg/cli/cli.mjs'), 'mock', ...args, '--refund-delay', '-1', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  port = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', (code) => fail(new Error(`the mock exited (${code}) before listening: ${out}`)));
  });
  cfg = JSON.parse(readFileSync(join(keysDir, 'wechatpay.json'), 'utf8'));
  // KeyObjects made once: parsing a PEM per request costs more than the RSA operation.
  merchantKey = createPrivateKey(readFileSync(join(keysDir, 'apiclient_key.pem'), 'utf8'));
  wechatPublicKey = createPublicKey(readFileSync(join(keysDir, 'pub_key.pem'), 'utf8'));
});
after(() => {
  agent.destroy();
  child?.kill();
  rmSync(keysDir, { recursive: true, force: true });
});

// --- the spec read here: $ref followed, allOf merged ---------------------------------------
function resolve(schema) {
  if (!schema) return {};
  if (schema.$ref) return resolve(SPEC.definitions[schema.$ref.slice('#/definitions/'.length)]);
  if (!schema.allOf) return schema;
  const { allOf, ...own } = schema;
  const out = { properties: {}, required: [] };
  // A field two parts name must fit both (the h5 order's scene_info: SceneInfo and {h5_info});
  // enums in parts add up (tradebill's bill_type: BillType's values and the specials, as WeChat lists them).
  for (const part of [...allOf.map(resolve), own]) {
    const { properties, required, enum: values, ...rest } = part;
    Object.assign(out, rest);
    for (const [k, sub] of Object.entries(properties ?? {}))
      out.properties[k] = out.properties[k] ? resolve({ allOf: [out.properties[k], sub] }) : sub;
    if (values) out.enum = [...new Set([...(out.enum ?? []), ...values])];
    out.required.push(...(required ?? []).filter((r) => !out.required.includes(r)));
  }
  out.type ??= Object.keys(out.properties).length ? 'object' : undefined;
  return out;
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
    return publicEncrypt(
      { key: wechatPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from('T20261207'),
    ).toString('base64');
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
  if (type === 'array')
    return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => valid(s.items, depth + 1, name));
  if (type === 'integer' || type === 'number')
    return s.enum?.[0] ?? Math.min(Math.max(1, s.minimum ?? 1), s.maximum ?? 1);
  if (type === 'boolean') return true;
  return text(s, name);
}

/**
 * The pointer of the deepest required field reached through required fields only (the first of
 * the deepest), so that nested required checks are exercised: /amount/total rather than /appid.
 */
function deepestRequired(schema, body, pointer = '') {
  const s = resolve(schema);
  const items = resolve(s.items);
  if (Array.isArray(body) && items.required?.length) return deepestRequired(s.items, body[0], `${pointer}/0`);
  let best = pointer || undefined;
  for (const k of s.required ?? []) {
    if (!(k in (body ?? {}))) continue;
    const found = deepestRequired(s.properties[k], body[k], `${pointer}/${k}`);
    if (found.split('/').length > (best?.split('/').length ?? 0)) best = found;
  }
  return best;
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
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${signed}\r\n`,
    ),
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { method, url, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${b}` }, body, signed };
}

/** The Authorization header: SHA256-RSA (PKCS#1 v1.5) over METHOD\nURL\nTS\nNONCE\nBODY\n, in the thread pool. */
async function authorization(method, url, signed) {
  const ts = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const message = Buffer.from(`${method}\n${url}\n${ts}\n${nonce}\n${signed}\n`);
  const signature = await new Promise((ok, fail) =>
    sign('sha256', message, merchantKey, (e, sig) => (e ? fail(e) : ok(sig.toString('base64')))),
  );
  return `WECHATPAY2-SHA256-RSA2048 mchid="${cfg.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${cfg.serialNo}"`;
}

/** Sends a built request: { status, headers, text, json, signedOk }. */
async function send({ method, url, headers, body, signed }) {
  const auth = await authorization(method, url, signed);
  return new Promise((ok, fail) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent,
        // Content-Length always: Node sends a DELETE's body without it (nor chunked) otherwise.
        headers: { ...headers, 'content-length': Buffer.byteLength(body), authorization: auth },
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
    const pointer = deepestRequired(op.body, valid(op.body, 0));
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
  const where = { body: 0, nested: 0, query: 0 };
  let behaviour = 0;
  for (const o of OPERATIONS) {
    const isModelled = modelled(o.method, o.path.replace(/\{[^}]+\}/g, 'T20261207'));
    if (isModelled) behaviour += 1;
    jobs.push(async () => {
      const r = await send(build(o.method, o.path, o.op));
      const [status, schema] = Object.entries(o.op.responses)[0];
      const expected = schema === null && !o.op.produces ? 204 : Number(status);
      // A route with behaviour answers as the product does (a query of an order it does not know:
      // 404 ORDER_NOT_EXIST; values its own rules refuse: its PARAM_ERROR), but never the spec
      // layer's refusal (输入源“…”: the generated request fits the spec).
      const fits = isModelled
        ? r.status !== 405 && r.status < 500 && !r.json?.message?.startsWith('输入源')
        : r.status === expected;
      const shaped = isModelled || !schema || (resolve(schema).required ?? []).every((k) => r.json?.[k] !== undefined);
      if (!fits || !r.signedOk || !shaped) failures.push(`${o.method} ${o.path}: ${r.status} ${r.text.slice(0, 300)}`);
    });
    const drop = requiredToDrop(o);
    if (!drop) continue;
    withRequired += 1;
    where[drop.query ? 'query' : drop.body.split('/').length > 2 ? 'nested' : 'body'] += 1;
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
  console.log(
    `# ${OPERATIONS.length} operations (${behaviour} with behaviour), ${withRequired} with a required field left out (${where.body} top-level body, ${where.nested} nested, ${where.query} query), ${jobs.length} requests in ${ms} ms`,
  );
  assert.deepEqual(failures, []);
});

test('404 for a path outside the spec, 405 for a spec path with another method: signed, before the signature is checked', async () => {
  const none = await send({ method: 'GET', url: '/v3/no/such/path', headers: {}, body: '', signed: '' });
  assert.equal(none.status, 404);
  assert.equal(none.json.code, 'NOT_FOUND');
  assert.ok(none.signedOk);
  const native = await send({ method: 'GET', url: '/v3/pay/transactions/native', headers: {}, body: '', signed: '' });
  assert.equal(native.status, 405);
  assert.ok(native.signedOk);
  // A wrong type and an enum value WeChat does not know, named by their pointers.
  const op = SPEC.paths['/v3/pay/transactions/native'].POST;
  const good = build('POST', '/v3/pay/transactions/native', op);
  for (const [edit, field] of [
    [(b) => (b.amount.total = '1'), '/amount/total'],
    [(b) => (b.payer = { identity: { type: 'PASSPORT', number: 'eA==', name: 'eQ==' } }), '/payer/identity/type'],
    [(b) => (b.time_expire = '2026-12-07 18:00:00'), '/time_expire'],
  ]) {
    const body = JSON.parse(good.body);
    edit(body);
    const text = JSON.stringify(body);
    const r = await send({ ...good, body: text, signed: text });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual([r.json.code, r.json.detail.field, r.json.detail.location], ['PARAM_ERROR', field, 'body']);
    assert.ok(r.signedOk);
  }
  const noSerial = await send({ ...good, headers: { 'content-type': 'application/json' } });
  assert.deepEqual([noSerial.status, noSerial.json.detail.field], [400, 'Wechatpay-Serial']);
  const otherSerial = await send({
    ...good,
    headers: { ...good.headers, 'wechatpay-serial': 'PUB_KEY_ID_0NOTTHEMOCKS' },
  });
  assert.deepEqual([otherSerial.status, otherSerial.json.message], [400, '平台证书序列号Wechatpay-Serial错误']);
});

test('allOf read as the spec means it: an enum extended (tradebill bill_type), a field both parts name checked by both', async () => {
  const bill = (type) => {
    const url = `/v3/bill/tradebill?bill_date=2026-12-01&bill_type=${type}`;
    return send({ method: 'GET', url, headers: {}, body: '', signed: '' });
  };
  for (const type of ['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND', 'ALL_SPECIAL', 'SUC_SPECIAL', 'REF_SPECIAL']) {
    // Past the spec layer, the bills product answers: a day with no trades has no bill.
    const r = await bill(type);
    assert.deepEqual([r.status, r.json.code], [400, 'NO_STATEMENT_EXIST'], `${type}: ${r.text}`);
    assert.ok(r.signedOk);
  }
  const unknown = await bill('EVERYTHING');
  assert.equal(unknown.status, 400, unknown.text);
  assert.deepEqual(
    [unknown.json.code, unknown.json.detail.field, unknown.json.detail.location, unknown.json.detail.value],
    ['PARAM_ERROR', 'bill_type', 'query', 'EVERYTHING'],
  );
  assert.match(unknown.json.message, /bill_type/);
  assert.ok(unknown.signedOk);
  // h5: scene_info is TransactionBase's SceneInfo (payer_client_ip required) and the h5 part's {h5_info required}.
  const op = SPEC.paths['/v3/pay/transactions/h5'].POST;
  const good = build('POST', '/v3/pay/transactions/h5', op);
  for (const field of ['/scene_info/payer_client_ip', '/scene_info/h5_info']) {
    const text = JSON.stringify(without(JSON.parse(good.body), field));
    const r = await send({ ...good, body: text, signed: text });
    assert.deepEqual([r.status, r.json.code, r.json.detail.field], [400, 'PARAM_ERROR', field], r.text);
  }
});

const control = async (method, path, body) => {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, body: body && JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
};

test('faults aimed at a path prefix and a method fire on matching calls only; other calls pass them by', async () => {
  await control('DELETE', '/_mock/faults');
  const transfer = (m, p) => build(m, p, SPEC.paths[p][m]);
  const create = transfer('POST', '/v3/fund-app/mch-transfer/transfer-bills');
  const query = transfer('GET', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}');
  const native = transfer('POST', '/v3/pay/transactions/native');
  const queued = await control('POST', '/_mock/faults', {
    kind: 'system_error',
    count: 2,
    path: '/v3/fund-app/',
    method: 'POST',
  });
  assert.equal(queued.status, 200);
  assert.deepEqual(queued.json.queued, {
    id: queued.json.queued.id,
    kind: 'system_error',
    count: 2,
    after: false,
    path: '/v3/fund-app/',
    method: 'POST',
  });
  await control('POST', '/_mock/faults', { kind: 'system_error', path: '/v3/pay/transactions/native' });
  // mockproducts: transfers, native orders have behaviour now (an unknown bill is 404, a reused out_trade_no 403):
  // "passed by" is "not the fault's 500".
  assert.notEqual((await send(query)).status, 500, 'a GET under the prefix passes a POST fault by');
  const down = await send(create);
  assert.deepEqual([down.status, down.json.code, down.signedOk], [500, 'SYSTEM_ERROR', true]);
  assert.equal(
    (await send(native)).status,
    500,
    'the second queued fault, aimed at native, fires though the first is pending',
  );
  assert.notEqual((await send(native)).status, 500);
  assert.equal((await send(create)).status, 500);
  assert.notEqual((await send(create)).status, 500, 'count 2 spent');
  const { json } = await control('GET', '/_mock/faults');
  assert.deepEqual(json.queue, []);
  assert.deepEqual(
    json.history.map((h) => `${h.method} ${h.path}`),
    [
      'POST /v3/fund-app/mch-transfer/transfer-bills',
      'POST /v3/pay/transactions/native',
      'POST /v3/fund-app/mch-transfer/transfer-bills',
    ],
  );
  for (const [bad, why] of [
    [{ kind: 'drop', path: 'v3/pay' }, /path must be the start of an API path/],
    [{ kind: 'drop', path: '/_mock/orders' }, /control paths are never faulted/],
    [{ kind: 'drop', method: 'post' }, /method must be one of GET, POST, PUT, PATCH, DELETE/],
  ]) {
    const r = await control('POST', '/_mock/faults', bad);
    assert.equal(r.status, 400);
    assert.match(r.json.error, why);
  }
});

test('generic answers echo the request (path parameters, query, body fields of the same name), the same each time; 204 has no body', async () => {
  const get = (url) => send({ method: 'GET', url, headers: {}, body: '', signed: '' });
  // mockproducts: transfers, partner orders and complaints have behaviour on this branch (an unknown bill is
  // 404); the generic answer is shown on paths of the same shapes that have none.
  const bill = await get('/v3/fund-app/mch-transfer/transfer-to-qq-wallet-bills/B2026120701');
  assert.equal(bill.status, 200);
  assert.equal(bill.json.out_bill_no, 'B2026120701');
  assert.equal(bill.json.mchid, cfg.mchid);
  assert.ok(SPEC.paths['/v3/fund-app/mch-transfer/transfer-to-qq-wallet-bills/{out_bill_no}'].GET.responses['200']);
  assert.deepEqual((await get('/v3/fund-app/mch-transfer/transfer-to-qq-wallet-bills/B2026120701')).json, bill.json);
  const partner = await get(
    `/v3/global/transactions/out-trade-no/P2026120701?mchid=${cfg.mchid}&sp_mchid=${cfg.mchid}&sub_mchid=1900000111`,
  );
  assert.deepEqual(
    [partner.json.out_trade_no, partner.json.sp_mchid, partner.json.sub_mchid],
    ['P2026120701', cfg.mchid, '1900000111'],
  );
  const op = SPEC.paths['/v3/ecommerce/refunds/apply'].POST;
  const apply = build('POST', '/v3/ecommerce/refunds/apply', op);
  const asked = JSON.parse(apply.body);
  const answered = await send(apply);
  assert.equal(answered.status, 200, answered.text);
  assert.equal(answered.json.out_refund_no, asked.out_refund_no);
  assert.equal(answered.json.amount.refund, asked.amount.refund);
  const none = await send(
    build(
      'POST',
      '/v3/apply4subject/applyment/{applyment_id}/cancel',
      SPEC.paths['/v3/apply4subject/applyment/{applyment_id}/cancel'].POST,
    ),
  );
  assert.deepEqual([none.status, none.text, none.signedOk], [204, '', true]);
});
