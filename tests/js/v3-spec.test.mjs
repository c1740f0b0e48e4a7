// The committed compact v3 spec (spec/v3.json, derived by scripts/derive-v3-spec.mjs from
// TheNorthMemory/wechatpay-openapi): its invariants, the counts its NOTICE states, and three
// endpoints checked field by field against WeChat's documentation and wechatpay-go's generated models
// (written out here by hand, not read from the spec). Fast and offline: the source spec is not needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../spec/', import.meta.url);
const text = readFileSync(new URL('v3.json', root), 'utf8');
const spec = JSON.parse(text);
const notice = readFileSync(new URL('NOTICE.md', root), 'utf8');
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function* operations() {
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) yield { path, method, op };
  }
}

/** Every schema object in the file, with where it is. */
function* schemas(node, where) {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* schemas(item, `${where}[${i}]`);
    return;
  }
  yield { node, where };
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'enum' || key === 'required') && Array.isArray(value)) continue;
    yield* schemas(value, `${where}/${key}`);
  }
}

function resolve(schema) {
  let s = schema;
  for (let hops = 0; s?.$ref; hops++) {
    assert.ok(hops < 50, `reference loop at ${schema.$ref}`);
    s = spec.definitions[s.$ref.slice('#/definitions/'.length)];
  }
  return s;
}

/** The fields an object schema names: its own properties and, through allOf, those of its parts. */
function fieldNames(schema, seen = new Set()) {
  const s = resolve(schema);
  if (!s || seen.has(s)) return new Set();
  seen.add(s);
  const names = new Set(Object.keys(s.properties ?? {}));
  for (const part of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
    for (const name of fieldNames(part, seen)) names.add(name);
  }
  return names;
}

function requiredNames(schema) {
  const s = resolve(schema);
  const names = new Set(s?.required ?? []);
  for (const part of s?.allOf ?? []) for (const name of requiredNames(part)) names.add(name);
  return names;
}

/** The field at a dotted path in an operation's body or 2xx answer (array items entered by `[]`). */
function field(schema, dotted) {
  let s = schema;
  for (const step of dotted.split('.')) {
    const inItems = step.endsWith('[]');
    const name = inItems ? step.slice(0, -2) : step;
    s = findProperty(s, name);
    assert.ok(s, `no field ${dotted}`);
    if (inItems) s = resolve(s).items;
  }
  return resolve(s);
}

function findProperty(schema, name) {
  const s = resolve(schema);
  if (s?.properties?.[name]) return s.properties[name];
  for (const part of s?.allOf ?? []) {
    const found = findProperty(part, name);
    if (found) return found;
  }
  return undefined;
}

function noticeCount(label) {
  const m = notice.match(new RegExp(`^\\| ${label} \\| (\\d+) \\|$`, 'm'));
  assert.ok(m, `NOTICE.md states no count of ${label}`);
  return Number(m[1]);
}

test('paths start with /v3/ and methods are GET, POST, PUT, PATCH or DELETE', () => {
  for (const { path, method } of operations()) {
    assert.match(path, /^\/v3\//);
    assert.ok(METHODS.has(method), `${method} ${path}`);
  }
});

test('counts match those NOTICE.md states', () => {
  assert.equal(Object.keys(spec.paths).length, noticeCount('paths'));
  assert.equal([...operations()].length, noticeCount('operations'));
  assert.equal(Object.keys(spec.definitions).length, noticeCount('definitions'));
  assert.equal(spec.source.commit, notice.match(/\b[0-9a-f]{40}\b/)[0]);
});

test('every $ref resolves within the file, and every definition is used', () => {
  const used = new Set();
  for (const { node, where } of schemas(spec, '')) {
    if (node.$ref === undefined) continue;
    const m = /^#\/definitions\/(.+)$/.exec(node.$ref);
    assert.ok(m && m[1] in spec.definitions, `${where}: ${node.$ref}`);
    used.add(m[1]);
  }
  assert.deepEqual(
    Object.keys(spec.definitions).filter((name) => !used.has(name)),
    [],
  );
});

test('every {parameter} of a path is declared as a required path parameter, and no other', () => {
  for (const { path, method, op } of operations()) {
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const declared = op.parameters?.path;
    assert.deepEqual(Object.keys(declared?.properties ?? {}).sort(), inPath, `${method} ${path}`);
    assert.deepEqual([...(declared?.required ?? [])].sort(), inPath, `${method} ${path}`);
  }
});

// A schema that is part of an allOf may require a field another part declares (JSON Schema allows it),
// so the fields of the enclosing allOf, and for a definition those of every allOf it is part of, count.
test('required lists name fields the schema has (or the allOf it is part of)', () => {
  const inherited = new Map();
  for (const { node } of schemas(spec, '')) {
    for (const part of node.allOf ?? []) {
      if (!part.$ref) continue;
      const set = inherited.get(part.$ref) ?? new Set();
      for (const name of fieldNames(node)) set.add(name);
      inherited.set(part.$ref, set);
    }
  }
  const problems = [];
  const visit = (node, where, outer) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, `${where}[${i}]`, new Set());
      return;
    }
    const allowed = new Set([...fieldNames(node), ...outer]);
    const missing = (Array.isArray(node.required) ? node.required : []).filter((name) => !allowed.has(name));
    if (missing.length) problems.push(`${where}: ${missing.join(', ')}`);
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'enum' || key === 'required') && Array.isArray(value)) continue;
      if (key === 'allOf' && Array.isArray(value))
        for (const [i, part] of value.entries()) visit(part, `${where}/allOf[${i}]`, allowed);
      else visit(value, `${where}/${key}`, new Set());
    }
  };
  for (const [name, def] of Object.entries(spec.definitions)) {
    visit(def, `/definitions/${name}`, inherited.get(`#/definitions/${name}`) ?? new Set());
  }
  visit(spec.paths, '/paths', new Set());
  assert.deepEqual(problems, []);
});

test('keys are sorted and the file is in the form the script writes (one line per path and definition)', () => {
  const sortKeys = (v) =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys(v[k])]),
          )
        : v;
  const table = (obj) =>
    `{\n${Object.entries(obj)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(sortKeys(v))}`)
      .join(',\n')}\n}`;
  const keys = Object.keys(spec);
  assert.deepEqual(keys, [...keys].sort());
  const parts = keys.map((k) => `${JSON.stringify(k)}:${k === 'source' ? JSON.stringify(spec[k]) : table(spec[k])}`);
  assert.equal(text, `{\n${parts.join(',\n')}\n}\n`);
});

// The three below: fields and required flags as WeChat documents them and wechatpay-go's generated
// models (services/payments/jsapi, services/refunddomestic) declare them; the 2025 transfer API is not
// in wechatpay-go, so WeChat's documentation of 发起转账 is the reference there.
test('POST /v3/pay/transactions/jsapi: the JSAPI order', () => {
  const op = spec.paths['/v3/pay/transactions/jsapi'].POST;
  const body = op.body;
  for (const name of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url', 'amount', 'payer']) {
    assert.ok(requiredNames(body).has(name), `${name} required`);
  }
  for (const name of ['time_expire', 'attach', 'goods_tag', 'support_fapiao', 'detail', 'scene_info', 'settle_info']) {
    assert.ok(fieldNames(body).has(name) && !requiredNames(body).has(name), `${name} optional`);
  }
  assert.ok(requiredNames(findProperty(body, 'amount')).has('total'));
  assert.ok(!requiredNames(findProperty(body, 'amount')).has('currency'));
  assert.ok(requiredNames(findProperty(body, 'payer')).has('openid'));
  assert.equal(field(body, 'amount.total').type, 'integer');
  assert.equal(field(body, 'detail.goods_detail[].quantity').type, 'integer');
  assert.equal(field(body, 'time_expire').format, 'rfc3339');
  assert.equal(field(body, 'settle_info.profit_sharing').type, 'boolean');
  assert.deepEqual([...requiredNames(op.responses['200'])], ['prepay_id']);
  // Where the source differs from WeChat's documentation and wechatpay-go, repaired by the derivation
  // (spec/v3-repairs.md): scene_info.payer_client_ip is required, and store_info requires id, not name,
  // area_code, address.
  assert.ok(requiredNames(field(body, 'scene_info')).has('payer_client_ip'));
  assert.deepEqual([...requiredNames(field(body, 'scene_info.store_info'))].sort(), ['id']);
});

test('POST /v3/fund-app/mch-transfer/transfer-bills: the 2025 transfer API', () => {
  const op = spec.paths['/v3/fund-app/mch-transfer/transfer-bills'].POST;
  const required = requiredNames(op.body);
  for (const name of [
    'appid',
    'out_bill_no',
    'transfer_scene_id',
    'openid',
    'transfer_amount',
    'transfer_remark',
    'transfer_scene_report_infos',
  ]) {
    assert.ok(required.has(name), `${name} required`);
  }
  for (const name of ['user_name', 'notify_url', 'user_recv_perception']) assert.ok(fieldNames(op.body).has(name));
  assert.deepEqual(
    requiredNames(field(op.body, 'transfer_scene_report_infos').items),
    new Set(['info_type', 'info_content']),
  );
  // WeChat documents the amount in fen, an integer; the source types it `number` (listed in NOTICE.md).
  assert.equal(field(op.body, 'transfer_amount').type, 'number');
  const answer = op.responses['200'];
  for (const name of ['out_bill_no', 'transfer_bill_no', 'create_time', 'state'])
    assert.ok(requiredNames(answer).has(name));
  assert.ok(fieldNames(answer).has('package_info'));
  const states = field(answer, 'state').enum;
  for (const state of [
    'ACCEPTED',
    'PROCESSING',
    'WAIT_USER_CONFIRM',
    'TRANSFERING',
    'SUCCESS',
    'FAIL',
    'CANCELING',
    'CANCELLED',
  ]) {
    assert.ok(states.includes(state), state);
  }
});

test('POST /v3/refund/domestic/refunds: the refund', () => {
  const op = spec.paths['/v3/refund/domestic/refunds'].POST;
  assert.deepEqual([...requiredNames(op.body)].sort(), ['amount', 'out_refund_no']);
  for (const name of [
    'sub_mchid',
    'transaction_id',
    'out_trade_no',
    'reason',
    'notify_url',
    'funds_account',
    'goods_detail',
  ]) {
    assert.ok(fieldNames(op.body).has(name), name);
  }
  assert.deepEqual([...requiredNames(field(op.body, 'amount'))].sort(), ['currency', 'refund', 'total']);
  assert.deepEqual([...requiredNames(field(op.body, 'amount.from').items)].sort(), ['account', 'amount']);
  assert.deepEqual([...requiredNames(field(op.body, 'goods_detail').items)].sort(), [
    'merchant_goods_id',
    'refund_amount',
    'refund_quantity',
    'unit_price',
  ]);
  const answer = op.responses['200'];
  assert.deepEqual([...requiredNames(answer)].sort(), [
    'amount',
    'channel',
    'create_time',
    'out_refund_no',
    'out_trade_no',
    'refund_id',
    'status',
    'transaction_id',
    'user_received_account',
  ]);
  assert.deepEqual([...requiredNames(field(answer, 'amount'))].sort(), [
    'currency',
    'discount_refund',
    'payer_refund',
    'payer_total',
    'refund',
    'settlement_refund',
    'settlement_total',
    'total',
  ]);
  for (const name of ['total', 'refund', 'payer_total', 'payer_refund', 'settlement_refund', 'discount_refund']) {
    assert.equal(field(answer, `amount.${name}`).type, 'integer', name);
  }
});

test('repairs from the official SDKs: the order queries answer the order, not its request', () => {
  for (const path of [
    '/v3/pay/transactions/id/{transaction_id}',
    '/v3/pay/transactions/out-trade-no/{out_trade_no}',
    '/v3/pay/partner/transactions/id/{transaction_id}',
    '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}',
  ]) {
    const answer = spec.paths[path].GET.responses['200'];
    for (const name of ['trade_state', 'out_trade_no', 'amount', 'payer', 'promotion_detail'])
      assert.ok(fieldNames(answer).has(name), `${path}: ${name}`);
    for (const name of ['notify_url', 'description', 'time_expire'])
      assert.ok(!fieldNames(answer).has(name), `${path}: ${name}`);
    assert.ok(!requiredNames(answer).has('notify_url'));
  }
  const h5 = spec.paths['/v3/pay/transactions/h5'].POST.body;
  const h5Scene = h5.allOf.find((part) => part.properties?.scene_info?.properties?.h5_info).properties.scene_info;
  assert.ok(requiredNames(h5Scene).has('h5_info'));
  assert.ok(requiredNames(spec.paths['/v3/profitsharing/orders'].POST.body).has('appid'));
});
