// createPushHandler (issue 29) on each host the notify handler serves: node:http (and so
// Express), Koa, Fastify and fetch-style. Pushes are made by pushRequest (whose envelopes
// tests/js/miniprogram-reference.test.mjs checks against Python): GET answers the URL check,
// POST opens the push, routes it by Event and answers `success`; forged pushes are 400 and
// reported; a function that throws is 500 so WeChat pushes again; options fail at creation.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import * as mp from '../../pkg/miniprogram/node/index.mjs';

const KEYS = {
  token: 'pushtoken',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appid: 'wx1234567890abcdef',
};
const SETTLED = {
  ToUserName: 'gh_1',
  FromUserName: 'o-user',
  CreateTime: 1765100000,
  MsgType: 'event',
  Event: 'trade_manage_order_settlement',
  transaction_id: '4200000000000000000000000001',
  merchant_id: '1900000109',
  merchant_trade_no: 'T1',
  pay_time: 1765000000,
  confirm_receive_method: 1,
};

function serve(handler) {
  const server = createServer((req, res) => handler(req, res));
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}
function send(server, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.address().port, method, path }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const pathOf = (query) => `/push?${new URLSearchParams(query)}`;

test('node:http: URL check, safe-mode pushes routed by Event (JSON and XML), forged ones refused', async () => {
  const got = [];
  const refused = [];
  const handler = mp.createPushHandler({
    ...KEYS,
    on: {
      trade_manage_order_settlement: (m) => got.push(['settled', m]),
      default: (m) => got.push(['default', m.Event]),
    },
    onRefused: (r) => refused.push(r),
  });
  const server = await serve(handler);
  try {
    const ts = '1765100000';
    const nonce = '12345';
    const signature = createHash('sha1').update([KEYS.token, ts, nonce].sort().join('')).digest('hex');
    const ok = await send(server, 'GET', pathOf({ signature, timestamp: ts, nonce, echostr: 'hello-wechat' }));
    assert.deepEqual(ok, { status: 200, text: 'hello-wechat' });
    const forgedGet = await send(
      server,
      'GET',
      pathOf({ signature: '0'.repeat(40), timestamp: ts, nonce, echostr: 'x' }),
    );
    assert.equal(forgedGet.status, 400);
    const json = mp.pushRequest(SETTLED, { ...KEYS, toUserName: 'gh_1' });
    assert.deepEqual(await send(server, 'POST', pathOf(json.query), json.body), { status: 200, text: 'success' });
    assert.deepEqual(got.at(-1), ['settled', SETTLED]);
    const xml = mp.pushRequest(SETTLED, { ...KEYS, format: 'xml' });
    assert.match(xml.body, /^<xml><Encrypt>/);
    assert.equal((await send(server, 'POST', pathOf(xml.query), xml.body)).text, 'success');
    const fromXml = got.at(-1)[1];
    assert.equal(fromXml.Event, 'trade_manage_order_settlement');
    assert.equal(fromXml.transaction_id, SETTLED.transaction_id);
    assert.equal(fromXml.CreateTime, '1765100000', 'XML values are strings');
    const other = mp.pushRequest({ ...SETTLED, Event: 'trade_manage_remind_shipping' }, KEYS);
    await send(server, 'POST', pathOf(other.query), other.body);
    assert.deepEqual(got.at(-1), ['default', 'trade_manage_remind_shipping']);
    // Replayed with another timestamp; body altered: refused, reported, not routed.
    const n = got.length;
    const replay = await send(server, 'POST', pathOf({ ...json.query, timestamp: '1765100001' }), json.body);
    assert.equal(replay.status, 400);
    const altered = JSON.stringify({ ...JSON.parse(json.body), Encrypt: JSON.parse(other.body).Encrypt });
    assert.equal((await send(server, 'POST', pathOf(json.query), altered)).status, 400);
    assert.equal(got.length, n);
    assert.deepEqual(
      refused.map((r) => r.code),
      ['SIGN_MISMATCH', 'SIGN_MISMATCH', 'SIGN_MISMATCH'],
    );
    assert.ok(refused.every((r) => !JSON.stringify(r).includes(KEYS.encodingAESKey)));
    assert.equal((await send(server, 'PUT', '/push', '')).status, 405);
    // The next good push works.
    assert.equal((await send(server, 'POST', pathOf(json.query), json.body)).text, 'success');
  } finally {
    server.close();
  }
});

test('a function that throws is answered 500 (WeChat pushes again); a large body 413', async () => {
  const refused = [];
  const handler = mp.createPushHandler({
    ...KEYS,
    maxBytes: 2048,
    on: { trade_manage_order_settlement: () => Promise.reject(new Error('db down')) },
    onRefused: (r) => refused.push(r.code),
  });
  const server = await serve(handler);
  try {
    const p = mp.pushRequest(SETTLED, KEYS);
    assert.equal((await send(server, 'POST', pathOf(p.query), p.body)).status, 500);
    const big = mp.pushRequest({ ...SETTLED, pad: 'x'.repeat(4000) }, KEYS);
    assert.equal((await send(server, 'POST', pathOf(big.query), big.body)).status, 413);
    assert.deepEqual(refused, ['HANDLER_FAILED', 'INPUT_TOO_LARGE']);
  } finally {
    server.close();
  }
});

const fakeReq = (method, url, body) => Object.assign(Readable.from([Buffer.from(body)]), { headers: {}, method, url });

test('Koa, Fastify and fetch-style hosts', async () => {
  const seen = [];
  const handler = mp.createPushHandler({
    ...KEYS,
    on: { trade_manage_order_settlement: (m) => seen.push(m.merchant_trade_no) },
  });
  const p = mp.pushRequest(SETTLED, KEYS);
  // Koa: (ctx, next)
  const ctx = {
    req: fakeReq('POST', pathOf(p.query), p.body),
    res: {},
    request: {},
    method: 'POST',
    url: pathOf(p.query),
    headersSet: {},
  };
  ctx.set = (k, v) => {
    ctx.headersSet[k] = v;
  };
  await handler(ctx, () => {});
  assert.equal(ctx.status, 200);
  assert.equal(ctx.body, 'success');
  // Fastify: (request, reply), the body already a Buffer.
  const reply = {
    code: (s) => Object.assign(reply, { statusCode: s }),
    headers: () => reply,
    send: (b) => Object.assign(reply, { payload: b }),
  };
  await handler(
    { raw: fakeReq('POST', '/', ''), headers: {}, body: Buffer.from(p.body), method: 'POST', url: pathOf(p.query) },
    reply,
  );
  assert.equal(reply.statusCode, 200);
  assert.equal(reply.payload, 'success');
  // fetch-style: (Request) → Response
  const res = await handler(new Request(`http://example.test${pathOf(p.query)}`, { method: 'POST', body: p.body }));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'success');
  const forged = await handler(
    new Request(`http://example.test${pathOf({ ...p.query, nonce: 'x' })}`, { method: 'POST', body: p.body }),
  );
  assert.equal(forged.status, 400);
  assert.deepEqual(seen, ['T1', 'T1', 'T1']);
});

test('createPushHandler and encryptPush check their options at once', () => {
  assert.throws(() => mp.createPushHandler({ ...KEYS }), { code: 'INVALID_PARAM', field: 'on' });
  assert.throws(() => mp.createPushHandler({ ...KEYS, on: { x: 1 } }), { code: 'INVALID_PARAM', field: 'on.x' });
  assert.throws(
    () => mp.createPushHandler({ ...KEYS, on: { default() {} }, onrefused() {} }),
    /did you mean "onRefused"/,
  );
  assert.throws(
    () => mp.createPushHandler({ ...KEYS, encodingAESKey: 'x'.repeat(43).replace(/x$/, '!'), on: { default() {} } }),
    { code: 'INVALID_PARAM' },
  );
  assert.throws(() => mp.createPushHandler({ token: 't', encodingAESKey: KEYS.encodingAESKey, on: { default() {} } }), {
    field: 'appid',
  });
  assert.throws(() => mp.encryptPush({ a: 1 }, { token: 't' }), { field: 'encodingAESKey' });
  assert.throws(() => mp.encryptPush({ a: 1 }, { ...KEYS, nonce: 'a]]>b' }), { field: 'nonce' });
  assert.throws(() => mp.encryptPush('x'.repeat(1024 * 1024 + 1), KEYS), { code: 'INPUT_TOO_LARGE' });
  assert.throws(() => mp.xpaySignatures({ appKey: 'k', uri: '/x', body: 'x'.repeat(1024 * 1024 + 1) }), {
    code: 'INPUT_TOO_LARGE',
  });
  // encryptPush's reply carries what WeChat checks; decryptPush opens it back as a push.
  const body = JSON.parse(mp.encryptPush({ a: 1 }, { ...KEYS, timestamp: 1765100000, nonce: 'n1' }));
  assert.deepEqual(Object.keys(body), ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
  const query = { timestamp: '1765100000', nonce: 'n1', msg_signature: body.MsgSignature };
  assert.deepEqual(mp.decryptPush({ query, body: JSON.stringify({ Encrypt: body.Encrypt }) }, KEYS), { a: 1 });
  const xml = mp.encryptPush('<xml><a>1</a></xml>', { ...KEYS, timestamp: 1, nonce: 'n' });
  assert.match(
    xml,
    /^<xml><Encrypt><!\[CDATA\[[^\]]+\]\]><\/Encrypt><MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]><\/MsgSignature><TimeStamp>1<\/TimeStamp><Nonce><!\[CDATA\[n\]\]><\/Nonce><\/xml>$/,
  );
});
