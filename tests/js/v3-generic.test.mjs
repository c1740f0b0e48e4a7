// The v3 client's generic call (issue 27 item 1) and sensitive fields (item 3), against a fake
// WeChat that judges every request with node:crypto (support/fake-wechat-v3.mjs): the
// Authorization over the exact method, URL and body bytes, Wechatpay-Serial, the OAEP field
// opened with the platform private key. Also the raw layer's buildRequest, and the argument
// checks (exact codes, nothing sent).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, publicEncrypt } from 'node:crypto';

import wx3 from '../../pkg/v3/node/index.mjs';
import { rsaPair, startFakeWeChat } from './support/fake-wechat-v3.mjs';
import { APPID, MCHID, fakeClient, fakeMerchant } from './support/fake-v3-client.mjs';

const merchant = fakeMerchant();
let fake;
let script = []; // per-test answers, consumed in order by the route '* /v3/test/…'

function answerNext(req) {
  const next = script.shift();
  if (next === undefined) return { json: { echo: req.url } };
  return typeof next === 'function' ? next(req) : next;
}

before(async () => {
  const generic = {};
  for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) generic[`${m} /v3/test/{rest}`] = answerNext;
  for (const m of ['GET', 'POST']) generic[`${m} /v3/test/{a}/{b}`] = answerNext;
  fake = await startFakeWeChat({ routes: generic, merchant });
});
after(() => fake.close());

const events = [];
const client = (extra = {}) => fakeClient(fake, merchant, { onEvent: (e) => events.push(e), ...extra });
/** The requests the fake saw during `fn`. */
async function seen(fn) {
  const from = fake.requests.length;
  const value = await fn();
  return { value, requests: fake.requests.slice(from) };
}
async function refusedWith(promise, code, field) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'WxPayError');
    assert.equal(e.code, code, e.message);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    return true;
  });
}

test('get: a template filled and a query appended; the URL signed is the URL sent; Wechatpay-Serial is the platform key', async () => {
  const c = client();
  script = [{ json: { mchid: MCHID, state: 'OK' } }];
  const { value, requests } = await seen(() =>
    c.get('/v3/test/{a}/{b}', {
      params: { a: 'R 1/2', b: 7 },
      query: { sub_mchid: '1900000110', limit: 10, all: true, note: "it's" },
    }),
  );
  assert.deepEqual(value, { mchid: MCHID, state: 'OK' });
  assert.equal(requests.length, 1);
  const [r] = requests;
  assert.equal(r.method, 'GET');
  assert.equal(r.url, '/v3/test/R%201%2F2/7?sub_mchid=1900000110&limit=10&all=true&note=it%27s');
  assert.deepEqual(r.params, { a: 'R 1/2', b: '7' });
  assert.equal(r.verified, true, 'Authorization verified by node:crypto over the exact request');
  assert.equal(r.serial, fake.platform.serial);
  assert.equal(r.body, '');
  assert.equal(r.headers['content-type'], undefined, 'a GET carries no body, so no content type');
});

test('post, put, patch: the JSON body signed byte for byte (non-ASCII included); delete and an empty 2xx answer null', async () => {
  const c = client();
  const body = { description: '支付成功 ümlaut 😀', amount: { total: 1 }, list: [1, 'a'] };
  for (const m of ['post', 'put', 'patch']) {
    script = [{ json: { ok: m } }];
    const { value, requests } = await seen(() => c[m]('/v3/test/x?y=1', body));
    assert.deepEqual(value, { ok: m });
    assert.equal(requests[0].method, m.toUpperCase());
    assert.equal(requests[0].url, '/v3/test/x?y=1');
    assert.equal(requests[0].body, JSON.stringify(body));
    assert.equal(requests[0].verified, true);
    assert.equal(requests[0].headers['content-type'], 'application/json');
  }
  script = [{ status: 204 }];
  const del = await seen(() => c.delete('/v3/test/x'));
  assert.equal(del.value, null);
  assert.equal(del.requests[0].method, 'DELETE');
  assert.equal(del.requests[0].verified, true);
  script = [{ status: 200, body: '' }];
  assert.equal(await c.post('/v3/test/empty'), null, 'a POST without a body, answered with an empty 200');
  assert.equal(fake.requests.at(-1).body, '');
  script = [{ json: [1] }];
  assert.deepEqual(await c.request('POST', '/v3/test/array', [{ a: 1 }]).catch((e) => e.code), 'INVALID_JSON');
});

test('an answer that does not verify is refused (SIGN_MISMATCH, unsigned 2xx); the next good call works', async () => {
  const c = client();
  script = [{ json: { ok: 1 }, forge: true }];
  await refusedWith(c.get('/v3/test/forged'), 'SIGN_MISMATCH');
  script = [{ json: { ok: 1 }, unsigned: true }];
  await assert.rejects(c.get('/v3/test/unsigned'), (e) => e.name === 'WxPayError' && e.code !== 'RESULT_FAIL');
  script = [{ json: { ok: 2 } }];
  assert.deepEqual(await c.get('/v3/test/good'), { ok: 2 });
});

test('an answer about another merchant or app is refused: mchid, sp_mchid, appid, sp_appid', async () => {
  const c = client();
  for (const [field, code] of [
    ['mchid', 'MCH_ID_MISMATCH'],
    ['sp_mchid', 'MCH_ID_MISMATCH'],
    ['appid', 'APPID_MISMATCH'],
    ['sp_appid', 'APPID_MISMATCH'],
  ]) {
    script = [{ json: { [field]: '1234567890' } }];
    await refusedWith(c.post('/v3/test/other', { a: 1 }), code, field);
  }
  script = [{ json: { sp_mchid: MCHID, sp_appid: APPID, sub_mchid: '1900000110' } }];
  assert.equal((await c.get('/v3/test/mine')).sub_mchid, '1900000110');
});

test("WeChat's signed error is RESULT_FAIL with its code; a retryable one (500 SYSTEM_ERROR) is repeated, even for a POST", async () => {
  const c = client();
  script = [{ status: 400, json: { code: 'PARAM_ERROR', message: 'bad field' } }];
  await assert.rejects(
    c.post('/v3/test/bad', { a: 1 }),
    (e) => e.code === 'RESULT_FAIL' && e.errCode === 'PARAM_ERROR',
  );
  script = [{ status: 500, json: { code: 'SYSTEM_ERROR', message: 'try again' } }, { json: { ok: 1 } }];
  const { value, requests } = await seen(() => c.post('/v3/test/again', { a: 1 }));
  assert.deepEqual(value, { ok: 1 });
  assert.equal(requests.length, 2);
  assert.equal(requests[0].body, requests[1].body, 'the same body');
  assert.notEqual(requests[0].headers.authorization, requests[1].headers.authorization, 'a fresh Authorization');
});

test('a lost answer: GET is repeated; POST, PUT, PATCH, DELETE are not, and surface an unknown outcome', async () => {
  const c = client();
  script = [{ drop: true }, { json: { ok: 'second' } }];
  const got = await seen(() => c.get('/v3/test/lost'));
  assert.deepEqual(got.value, { ok: 'second' });
  assert.equal(got.requests.length, 2);
  for (const m of ['post', 'put', 'patch', 'delete']) {
    script = [{ drop: true }, { json: { ok: 'never' } }];
    events.length = 0;
    const from = fake.requests.length;
    await assert.rejects(
      m === 'delete' ? c.delete('/v3/test/lost') : c[m]('/v3/test/lost', { out_bill_no: 'B1' }),
      (e) => {
        assert.equal(e.code, 'NETWORK_ERROR');
        assert.equal(e.retryable, true);
        assert.match(e.message, /outcome is unknown/);
        return true;
      },
    );
    assert.equal(fake.requests.length - from, 1, `${m}: sent once`);
    assert.deepEqual(
      events.map((e) => [e.api, e.outcome, e.code]),
      [[`${m.toUpperCase()} /v3/test/lost`, 'error', 'NETWORK_ERROR']],
    );
    script = [];
  }
  assert.deepEqual(await c.get('/v3/test/after'), { echo: '/v3/test/after' });
});

test('bad arguments: exact codes and fields, nothing sent; the next good call works', async () => {
  const c = client();
  const cases = [
    [() => c.request('get', '/v3/test/x'), 'method'],
    [() => c.request('HEAD', '/v3/test/x'), 'method'],
    [() => c.get('https://api.mch.weixin.qq.com/v3/test/x'), 'url'],
    [() => c.get('//evil.example/v3/test'), 'url'],
    [() => c.get('/v2/test'), 'url'],
    [() => c.get(42), 'url'],
    [() => c.get('/v3/test/a b'), 'url'],
    [() => c.get('/v3/test/a\nb'), 'url'],
    [() => c.get('/v3/test/支付'), 'url'],
    [() => c.get('/v3/test/a#frag'), 'url'],
    [() => c.get('/v3/test/{rest}'), 'rest'],
    [() => c.get('/v3/test/{rest}', { params: {} }), 'rest'],
    [() => c.get('/v3/test/{rest}', { params: { rest: null } }), 'rest'],
    [() => c.get('/v3/test/{rest}', { params: { rest: '' } }), 'rest'],
    [() => c.get('/v3/test/{rest}', { params: { rest: Number.NaN } }), 'rest'],
    [() => c.get('/v3/test/{rest}', { params: { rest: 'a', extra: 'b' } }), 'extra'],
    [() => c.get('/v3/test/{rest', { params: {} }), 'url'],
    [() => c.get('/v3/test/a}'), 'url'],
    [() => c.get('/v3/test/a/../b'), 'url'],
    [() => c.get('/v3/test/a\\b'), 'url'],
    [() => c.get('/v3/test/x', { query: { a: {} } }), 'a'],
    [() => c.get('/v3/test/x', { query: 'a=1' }), 'query'],
    [() => c.get('/v3/test/x', { params: [] }), 'params'],
    [() => c.get('/v3/test/x', { headers: {} }), 'headers'],
    [() => c.get('/v3/test/x', 'opts'), 'options'],
    [() => c.request('GET', '/v3/test/x', { a: 1 }), 'body'],
    [() => c.request('DELETE', '/v3/test/x', {}), 'body'],
    [() => c.post('/v3/test/x', 'text'), 'body'],
    [() => c.post('/v3/test/x', new Map()), 'body'],
    [() => c.post('/v3/test/x', { n: 10n }), 'body'],
  ];
  const before = fake.requests.length;
  for (const [call, field] of cases) await refusedWith(call(), 'INVALID_PARAM', field);
  const cyclic = {};
  cyclic.self = cyclic;
  await refusedWith(c.post('/v3/test/x', cyclic), 'INVALID_PARAM', 'body');
  assert.equal(fake.requests.length, before, 'nothing was sent');
  assert.deepEqual(await c.get('/v3/test/ok'), { echo: '/v3/test/ok' });
});

test('buildRequest: the raw layer builds the same request line, with the same checks', async () => {
  assert.deepEqual(
    await wx3.buildRequest('GET', '/v3/refund/domestic/refunds/{out_refund_no}', undefined, {
      params: { out_refund_no: 'R/1 2' },
      query: { sub_mchid: '1900000110', skip: undefined },
    }),
    { method: 'GET', url: '/v3/refund/domestic/refunds/R%2F1%202?sub_mchid=1900000110', body: '' },
  );
  assert.deepEqual(
    await wx3.buildRequest('GET', '/v3/x', undefined, { query: { q: "it's (x)!*~", 'k y': '支付' } }),
    { method: 'GET', url: '/v3/x?q=it%27s%20(x)!*~&k%20y=%E6%94%AF%E4%BB%98', body: '' },
    "a query encoded as fetch sends it (the parser encodes ' in an https query)",
  );
  assert.deepEqual(await wx3.buildRequest('POST', '/v3/x?a=1', { b: '支' }, { query: { c: 'd e' } }), {
    method: 'POST',
    url: '/v3/x?a=1&c=d%20e',
    body: '{"b":"支"}',
  });
  await refusedWith(wx3.buildRequest('GET', '/v3/x', []), 'INVALID_PARAM', 'body');
  await refusedWith(wx3.buildRequest('POST', '/v3/{id}'), 'INVALID_PARAM', 'id');
  await refusedWith(wx3.buildRequest('PUT', 'http://x/v3/x'), 'INVALID_PARAM', 'url');
});

test('encrypt: OAEP with the platform key in use (the fake opens it with its private key); decrypt: a field sealed to the merchant key', async () => {
  const c = client();
  const secret = '张三 Zhang San';
  const sealed = await c.encrypt(secret);
  assert.equal(fake.decrypt(sealed), secret);
  assert.notEqual(await c.encrypt(secret), sealed, 'OAEP is randomised');
  script = [(req) => ({ json: { got: fake.decrypt(req.json.user_name), serial: req.serial } })];
  assert.deepEqual(await c.post('/v3/test/sensitive', { user_name: sealed }), {
    got: secret,
    serial: fake.platform.serial,
  });
  const toMerchant = publicEncrypt(
    { key: merchant.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from('13800138000'),
  ).toString('base64');
  assert.equal(await c.decrypt(toMerchant), '13800138000');
  await refusedWith(c.decrypt(sealed), 'DECRYPT_FAILED');
  await refusedWith(c.encrypt(42), 'INVALID_PARAM');
  await refusedWith(c.encrypt('x'.repeat(300)), 'INVALID_PARAM');
});

test('the Authorization is checked by the fake: a client with another merchant key is refused by WeChat (401 SIGN_ERROR)', async () => {
  const c = client({ privateKey: rsaPair().privateKey });
  const from = fake.requests.length;
  await assert.rejects(c.get('/v3/test/x'), (e) => e.code === 'RESULT_FAIL' && e.errCode === 'SIGN_ERROR');
  assert.equal(fake.requests[from].verified, false);
});
