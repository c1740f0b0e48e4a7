// The notify middleware (issue 13), v2 and v3: with a real node:http server, and with the
// call shapes of Express (req, res, next with a raw body parser's req.body), Koa (ctx, next)
// and Fastify (request, reply) as small fakes (the frameworks themselves are not installed
// here), and fetch-style (Request → Response). Every answer path: paid, duplicate, a
// non-paid notification, forged/tampered, too large, onPaid throwing (then WeChat's retry
// calls it again). Notifications are built with node:crypto (MD5 sign; RSA-SHA256 and
// AES-256-GCM for v3), not with the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { createCipheriv, createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const APPID = 'wxd930ea5d5a258f4f';
const MCH = '1900000109';
const md5 = (f) =>
  createHash('md5')
    .update(
      `${Object.keys(f)
        .filter((k) => f[k] !== '')
        .sort()
        .map((k) => `${k}=${f[k]}`)
        .join('&')}&key=${KEY}`,
    )
    .digest('hex')
    .toUpperCase();
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
function v2Notify(no, { result = 'SUCCESS', appid = APPID, tamper = false } = {}) {
  const f = {
    appid,
    mch_id: MCH,
    nonce_str: randomBytes(8).toString('hex'),
    return_code: 'SUCCESS',
    result_code: result,
    out_trade_no: no,
    total_fee: '100',
    transaction_id: `42000${no}`,
    openid: 'o1',
    trade_type: 'JSAPI',
    bank_type: 'CMC',
    cash_fee: '100',
    time_end: '20261203120000',
    fee_type: 'CNY',
    is_subscribe: 'N',
  };
  const signed = { ...f, sign: md5(f) };
  if (tamper) signed.total_fee = '1';
  return xmlOf(signed);
}

const client2 = wx.createClient({
  appid: APPID,
  mchId: MCH,
  key: KEY,
  fetch: () => {
    throw new Error('no network');
  },
});

/** A Node IncomingMessage-like request with these bytes and headers. */
const fakeReq = (body, headers = {}) =>
  Object.assign(Readable.from([Buffer.from(body)]), { headers, method: 'POST', url: '/notify' });
/** A ServerResponse-like recorder. */
function fakeRes() {
  const r = { status: 0, headers: {}, body: '' };
  return Object.assign(r, {
    writeHead(s, h) {
      r.status = s;
      r.headers = h;
    },
    end(b) {
      r.body = String(b ?? '');
    },
  });
}
const koaCtx = (body, headers = {}, rawBody) => {
  const ctx = {
    req: fakeReq(body, headers),
    res: {},
    request: { rawBody },
    status: 404,
    headersSet: {},
    body: undefined,
  };
  ctx.set = (k, v) => {
    ctx.headersSet[k] = v;
  };
  return ctx;
};
const fastify = (body, headers = {}, parsed) => {
  const reply = { statusCode: 0, hdrs: {}, payload: undefined };
  reply.code = (s) => {
    reply.statusCode = s;
    return reply;
  };
  reply.headers = (h) => {
    Object.assign(reply.hdrs, h);
    return reply;
  };
  reply.send = (b) => {
    reply.payload = b;
    return reply;
  };
  return [{ raw: fakeReq(body, headers), headers, body: parsed }, reply];
};

test('v2 with node:http: paid once for duplicates, SUCCESS each time; forged and tampered refused with FAIL', async () => {
  const paid = [];
  const handler = client2.createNotifyHandler({
    findOrder: () => ({ total: 100 }),
    onPaid: async (n) => {
      paid.push(n.out_trade_no);
      await new Promise((r) => setTimeout(r, 20));
    },
  });
  const server = createServer((req, res) => handler(req, res));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.address().port,
          method: 'POST',
          path: '/notify',
          headers: { 'content-type': 'text/xml' },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  try {
    const body = v2Notify('T100001');
    // Two copies at once, then a third later: one onPaid.
    const answers = await Promise.all([post(body), post(body)]);
    answers.push(await post(v2Notify('T100001')));
    for (const a of answers)
      assert.deepEqual(
        [a.status, /<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/.test(a.text)],
        [200, true],
        a.text,
      );
    assert.deepEqual(paid, ['T100001']);
    for (const bad of [
      v2Notify('T100002', { tamper: true }),
      v2Notify('T100003').replace(/<sign>.*<\/sign>/, '<sign><![CDATA[00000000000000000000000000000000]]></sign>'),
      v2Notify('T100004', { appid: 'wx_other' }),
      'not xml at all',
    ]) {
      const a = await post(bad);
      assert.equal(a.status, 400, a.text);
      assert.match(a.text, /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/);
      assert.doesNotMatch(a.text, new RegExp(KEY));
    }
    assert.deepEqual(paid, ['T100001']);
    const big = await post(`<xml>${'x'.repeat(70 * 1024)}</xml>`);
    assert.equal(big.status, 413);
    assert.match(big.text, /FAIL/);
    // After bad input the next good one works.
    assert.equal((await post(v2Notify('T100005'))).status, 200);
    assert.deepEqual(paid, ['T100001', 'T100005']);
  } finally {
    server.close();
  }
});

test("v2: onPaid throwing answers FAIL (500) and WeChat's retry calls it again; a result_code FAIL goes to onNotify", async () => {
  let calls = 0;
  const others = [];
  const handler = client2.createNotifyHandler({
    findOrder: () => ({ total: 100 }),
    onPaid: () => {
      calls++;
      if (calls === 1) throw new Error('db down');
    },
    onNotify: (n) => {
      others.push(n.out_trade_no);
    },
  });
  let res = fakeRes();
  await handler(fakeReq(v2Notify('T200001')), res);
  assert.equal(res.status, 500);
  assert.match(res.body, /FAIL/);
  assert.doesNotMatch(res.body, /db down/);
  res = fakeRes();
  await handler(fakeReq(v2Notify('T200001')), res);
  assert.equal(res.status, 200);
  assert.equal(calls, 2);
  res = fakeRes();
  await handler(fakeReq(v2Notify('T200002', { result: 'FAIL' })), res);
  assert.equal(res.status, 200);
  assert.deepEqual(others, ['T200002']);
  assert.equal(calls, 2);
});

test('v2 call shapes: Express (raw body in req.body), Koa (ctx), Fastify (request, reply), fetch (Request → Response)', async () => {
  const paid = [];
  const handler = client2.createNotifyHandler({
    findOrder: () => ({ total: 100 }),
    onPaid: (n) => {
      paid.push(n.out_trade_no);
    },
    maxBytes: 4096,
  });
  // Express with express.raw(): the body is a Buffer on req.body, the stream already read.
  const exReq = Object.assign(fakeReq(''), { body: Buffer.from(v2Notify('T300001')) });
  const exRes = fakeRes();
  await handler(exReq, exRes, () => assert.fail('next() is not called on a handled notification'));
  assert.equal(exRes.status, 200);
  // Koa: the stream, and Koa's rawBody when a body parser kept it.
  const ctx = koaCtx(v2Notify('T300002'));
  await handler(ctx, async () => {});
  assert.deepEqual(
    [ctx.status, /SUCCESS/.test(ctx.body), ctx.headersSet['content-type']],
    [200, true, 'text/xml; charset=utf-8'],
  );
  const ctx2 = koaCtx('', {}, v2Notify('T300003', { tamper: true }));
  await handler(ctx2, async () => {});
  assert.equal(ctx2.status, 400);
  // Fastify with a buffer content-type parser.
  const [freq, reply] = fastify('', {}, Buffer.from(v2Notify('T300004')));
  await handler(freq, reply);
  assert.deepEqual([reply.statusCode, /SUCCESS/.test(reply.payload)], [200, true]);
  const [big, bigReply] = fastify(`<xml>${'y'.repeat(5000)}</xml>`, {});
  await handler(big, bigReply);
  assert.equal(bigReply.statusCode, 413);
  // fetch-style hosts.
  const response = await handler(new Request('http://merchant/notify', { method: 'POST', body: v2Notify('T300005') }));
  assert.ok(response instanceof Response);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /SUCCESS/);
  assert.deepEqual(paid, ['T300001', 'T300002', 'T300004', 'T300005']);
  // Unknown shapes and options are refused.
  await assert.rejects(handler({}, {}), (e) => e.code === 'INVALID_PARAM');
  assert.throws(
    () => client2.createNotifyHandler({ findOrder: false, onPaid() {}, maxbytes: 1 }),
    (e) => e.code === 'INVALID_PARAM' && /did you mean "maxBytes"/.test(e.message),
  );
  assert.throws(
    () => client2.createNotifyHandler({}),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'onPaid',
  );
});

// ---- v3: callbacks signed (RSA-SHA256) and encrypted (AES-256-GCM) with node:crypto

const wechat = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUB_ID = 'PUB_KEY_ID_0119000001092026120300000000000001';
const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const client3 = wx3.createClient({
  appid: APPID,
  mchId: MCH,
  serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
  apiV3Key: API_V3_KEY,
  privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  publicKeys: { [PUB_ID]: wechat.publicKey.export({ type: 'spki', format: 'pem' }) },
  fetch: () => {
    throw new Error('no network');
  },
});
function v3Callback(
  no,
  { state = 'SUCCESS', ts = Math.floor(Date.now() / 1000), tamper = false, signer = wechat.privateKey } = {},
) {
  const resource = {
    mchid: MCH,
    appid: APPID,
    out_trade_no: no,
    transaction_id: `42000${no}`,
    trade_type: 'JSAPI',
    trade_state: state,
    trade_state_desc: 'ok',
    bank_type: 'OTHERS',
    attach: '',
    success_time: '2026-12-03T12:00:00+08:00',
    payer: { openid: 'o1' },
    amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
  };
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
  c.setAAD(Buffer.from('transaction'));
  const ct = Buffer.concat([c.update(JSON.stringify(resource)), c.final(), c.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: randomBytes(8).toString('hex'),
    create_time: '2026-12-03T12:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: state === 'SUCCESS' ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.CLOSED',
    summary: 's',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ct,
      associated_data: 'transaction',
      nonce,
    },
  });
  const hn = randomBytes(16).toString('hex');
  const sig = createSign('RSA-SHA256').update(`${ts}\n${hn}\n${body}\n`).sign(signer, 'base64');
  return {
    body: tamper ? body.replace('"summary":"s"', '"summary":"t"') : body,
    headers: {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': hn,
      'wechatpay-signature': sig,
      'wechatpay-serial': PUB_ID,
      'content-type': 'application/json',
    },
  };
}

test('v3: paid once, 204 for each copy; forged, tampered, stale refused 401 with {code,message}; too large 413; onPaid failing 500', async () => {
  const paid = [];
  let fail = false;
  const handler = client3.createNotifyHandler({
    findOrder: () => ({ total: 100 }),
    onPaid: (n) => {
      if (fail) throw new Error('x');
      paid.push(n.resource.out_trade_no);
    },
    maxSkewSeconds: 300,
  });
  const send = async (cb) => {
    const res = fakeRes();
    await handler(fakeReq(cb.body, cb.headers), res);
    return res;
  };
  const cb = v3Callback('T400001');
  const all = await Promise.all([send(cb), send(cb), send(v3Callback('T400001'))]);
  for (const r of all) assert.deepEqual([r.status, r.body], [204, '']);
  assert.deepEqual(paid, ['T400001']);
  for (const bad of [
    v3Callback('T400002', { tamper: true }),
    v3Callback('T400003', { signer: merchant.privateKey }),
    v3Callback('T400004', { ts: Math.floor(Date.now() / 1000) - 301 }),
  ]) {
    const r = await send(bad);
    assert.equal(r.status, 401);
    const j = JSON.parse(r.body);
    assert.equal(j.code, 'FAIL');
    assert.equal(typeof j.message, 'string');
  }
  const big = await send({ body: 'z'.repeat(70 * 1024), headers: {} });
  assert.equal(big.status, 413);
  assert.equal(JSON.parse(big.body).code, 'FAIL');
  fail = true;
  const failed = await send(v3Callback('T400005'));
  assert.equal(failed.status, 500);
  assert.equal(JSON.parse(failed.body).code, 'FAIL');
  fail = false;
  assert.equal((await send(v3Callback('T400005'))).status, 204);
  // Not paid: no onPaid (closed order callback).
  assert.equal((await send(v3Callback('T400006', { state: 'CLOSED' }))).status, 204);
  assert.deepEqual(paid, ['T400001', 'T400005']);
});

test('v3 call shapes: Koa, Fastify, fetch', async () => {
  const paid = [];
  const handler = client3.createNotifyHandler({
    findOrder: () => ({ total: 100 }),
    onPaid: (n) => {
      paid.push(n.resource.out_trade_no);
    },
  });
  const a = v3Callback('T500001');
  const ctx = koaCtx(a.body, a.headers);
  await handler(ctx, async () => {});
  assert.equal(ctx.status, 204);
  const b = v3Callback('T500002');
  const [freq, reply] = fastify('', b.headers, b.body);
  await handler(freq, reply);
  assert.equal(reply.statusCode, 204);
  const c = v3Callback('T500003');
  const res = await handler(new Request('http://merchant/n', { method: 'POST', body: c.body, headers: c.headers }));
  assert.equal(res.status, 204);
  const d = v3Callback('T500004', { tamper: true });
  const res2 = await handler(new Request('http://merchant/n', { method: 'POST', body: d.body, headers: d.headers }));
  assert.equal(res2.status, 401);
  assert.equal((await res2.json()).code, 'FAIL');
  assert.deepEqual(paid, ['T500001', 'T500002', 'T500003']);
});
