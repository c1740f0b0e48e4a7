// The notify handler checks the order (issue 26): `findOrder` is required, a validly signed
// notification of another amount is refused before onPaid, an unknown order is answered so
// that WeChat retries, every option is checked at creation, and every refusal reaches
// `onRefused` without a key, a body or a header value. Bodies: a declared Content-Length
// above maxBytes is refused before reading, a consumed stream is BODY_UNREADABLE, a slow body
// ends at readTimeoutMs. Notifications are built here with node:crypto (MD5 and HMAC-SHA256
// for v2; RSA-SHA256 and AES-256-GCM for v3), never with the package; each bad call is
// followed by a good one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { createCipheriv, createHash, createHmac, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const APPID = 'wxd930ea5d5a258f4f';
const MCH = '1900000109';
const ORDERS = new Map([
  ['N100', 100],
  ['N200', 200],
  ['N300', 300],
  ['N400', 400],
  ['N500', 500],
  ['N600', 600],
  ['BIG', Number.MAX_SAFE_INTEGER],
]);
const findOrder = (no) => (ORDERS.has(no) ? { total: ORDERS.get(no) } : null);

const joined = (f) =>
  `${Object.keys(f)
    .filter((k) => f[k] !== '')
    .sort()
    .map((k) => `${k}=${f[k]}`)
    .join('&')}&key=${KEY}`;
const signOf = (f, type) =>
  (type === 'HMAC-SHA256' ? createHmac('sha256', KEY).update(joined(f)) : createHash('md5').update(joined(f)))
    .digest('hex')
    .toUpperCase();
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
/** A v2 payment notification for `no` stating `fee`, signed with node:crypto. */
function v2Notify(no, fee, { type = 'MD5', key } = {}) {
  const f = {
    appid: APPID,
    mch_id: MCH,
    nonce_str: randomBytes(8).toString('hex'),
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    out_trade_no: no,
    total_fee: String(fee),
    transaction_id: `42000${no}`,
    openid: 'o1',
    trade_type: 'JSAPI',
    time_end: '20261203120000',
  };
  if (type !== 'MD5') f.sign_type = type;
  const sign = key
    ? createHash('md5').update(joined(f).replace(KEY, key)).digest('hex').toUpperCase()
    : signOf(f, type);
  return xmlOf({ ...f, sign });
}

const noNet = () => {
  throw new Error('no network');
};
const client2 = wx.createClient({ appid: APPID, mchId: MCH, key: KEY, fetch: noNet });
const fakeReq = (body, headers = {}) =>
  Object.assign(Readable.from([Buffer.from(body)]), { headers, method: 'POST', url: '/notify' });
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

/** A handler on `client` recording onPaid, onNotify and onRefused; `secrets()` checks no report carries `values`. */
function recorder(client, extra = {}) {
  const paid = [];
  const others = [];
  const refused = [];
  const handler = client.createNotifyHandler({
    findOrder,
    onPaid: (n) => {
      paid.push(n.out_trade_no ?? n.resource.out_trade_no);
    },
    onNotify: (n) => {
      others.push(n);
    },
    onRefused: (r) => {
      refused.push(r);
    },
    ...extra,
  });
  const noSecret = (...values) => {
    const text = JSON.stringify(refused);
    for (const v of [KEY, API_V3_KEY, ...values]) assert.ok(!text.includes(v), `a report carries ${v.slice(0, 40)}`);
    for (const r of refused)
      assert.deepEqual(
        Object.keys(r).filter((k) => !['code', 'reason', 'serial', 'outTradeNo'].includes(k)),
        [],
      );
  };
  return { handler, paid, others, refused, noSecret };
}
const v2Send = async (handler, body, headers) => {
  const res = fakeRes();
  await handler(fakeReq(body, headers), res);
  return res;
};
const isFail = (text) => /<return_code><!\[CDATA\[FAIL\]\]><\/return_code>/.test(text);

test('v2: a validly signed notification of another amount is refused before onPaid (AMOUNT_MISMATCH); the right one after it is accepted once', async () => {
  for (const type of ['MD5', 'HMAC-SHA256']) {
    // WeChat signs a notification as the order was signed: the client's signType.
    const r = recorder(
      type === 'MD5' ? client2 : wx.createClient({ appid: APPID, mchId: MCH, key: KEY, signType: type, fetch: noNet }),
    );
    const wrong = v2Notify('N100', 1, { type });
    const a = await v2Send(r.handler, wrong);
    assert.equal(a.status, 400);
    assert.ok(isFail(a.body), a.body);
    assert.deepEqual(r.paid, []);
    assert.deepEqual(
      r.refused.map((x) => [x.code, x.outTradeNo]),
      [['AMOUNT_MISMATCH', 'N100']],
    );
    // "01" is not 1: the text is compared exactly, as verifyNotify's totalFee does.
    assert.equal((await v2Send(r.handler, v2Notify('N100', '0100', { type }))).status, 400);
    const right = v2Notify('N100', 100, { type });
    for (let i = 0; i < 3; i++) assert.equal((await v2Send(r.handler, right)).status, 200);
    assert.deepEqual(r.paid, ['N100'], 'onPaid once, for the right notification only');
    r.noSecret(wrong, wrong.match(/<sign><!\[CDATA\[(\w+)/)[1], wrong.match(/<nonce_str><!\[CDATA\[(\w+)/)[1]);
  }
});

test('v2: an unknown order is answered FAIL (500, WeChat retries) and reported; findOrder failing is HANDLER_FAILED; the next good call works', async () => {
  let down = false;
  let shape = null;
  const r = recorder(client2, {
    findOrder: async (no, n) => {
      assert.equal(n.out_trade_no, no);
      if (down) throw new Error('db down, password=hunter2');
      return shape ?? findOrder(no);
    },
  });
  const unknown = await v2Send(r.handler, v2Notify('N999', 100));
  assert.deepEqual([unknown.status, isFail(unknown.body)], [500, true]);
  down = true;
  assert.equal((await v2Send(r.handler, v2Notify('N200', 200))).status, 500);
  down = false;
  for (const s of [{ total: '200' }, { total: 1.5 }, { total: -1 }, 'yes', { amount: 200 }]) {
    shape = s;
    assert.equal((await v2Send(r.handler, v2Notify('N200', 200))).status, 500, JSON.stringify(s));
  }
  shape = null;
  assert.deepEqual(r.paid, []);
  assert.equal((await v2Send(r.handler, v2Notify('N200', 200))).status, 200);
  assert.deepEqual(r.paid, ['N200']);
  assert.deepEqual(
    r.refused.map((x) => x.code),
    [
      'OUT_TRADE_NO_MISMATCH',
      'HANDLER_FAILED',
      'HANDLER_FAILED',
      'HANDLER_FAILED',
      'HANDLER_FAILED',
      'HANDLER_FAILED',
      'HANDLER_FAILED',
    ],
  );
  assert.equal(r.refused[0].outTradeNo, 'N999');
  r.noSecret('hunter2', 'db down');
});

test('v2: forged, another appid, onPaid throwing, result FAIL: each reported with its code, no secret; onPaid runs again on the retry', async () => {
  let fail = true;
  const r = recorder(client2, {
    onPaid: (n) => {
      if (fail) throw new Error(`cannot save ${KEY}`);
      r.paid.push(n.out_trade_no);
    },
  });
  const forged = v2Notify('N300', 300, { key: 'ffffffffffffffffffffffffffffffff' });
  assert.equal((await v2Send(r.handler, forged)).status, 400);
  const other = xmlOf(
    (() => {
      const f = {
        appid: 'wx_other',
        mch_id: MCH,
        nonce_str: 'n1',
        return_code: 'SUCCESS',
        result_code: 'SUCCESS',
        out_trade_no: 'N300',
        total_fee: '300',
      };
      return { ...f, sign: signOf(f, 'MD5') };
    })(),
  );
  assert.equal((await v2Send(r.handler, other)).status, 400);
  assert.equal((await v2Send(r.handler, 'not xml')).status, 400);
  assert.equal((await v2Send(r.handler, v2Notify('N300', 300))).status, 500);
  fail = false;
  assert.equal((await v2Send(r.handler, v2Notify('N300', 300))).status, 200);
  assert.deepEqual(r.paid, ['N300']);
  assert.deepEqual(
    r.refused.map((x) => x.code),
    ['SIGN_MISMATCH', 'APPID_MISMATCH', 'INVALID_XML', 'HANDLER_FAILED'],
  );
  assert.equal(r.refused[0].outTradeNo, undefined, 'nothing from an unverified notification');
  assert.equal(r.refused[3].outTradeNo, 'N300');
  r.noSecret(forged, 'not xml', 'cannot save');
});

test('v2: findOrder: false (unsafe, explicit) turns the amount check off', async () => {
  const r = recorder(client2, { findOrder: false });
  assert.equal((await v2Send(r.handler, v2Notify('N400', 1))).status, 200);
  assert.deepEqual(r.paid, ['N400']);
});

test('creation: no findOrder, and every invalid option, throw INVALID_PARAM now (not at the first callback)', () => {
  const base = { onPaid() {}, findOrder };
  assert.throws(
    () => client2.createNotifyHandler({ onPaid() {} }),
    (e) =>
      e.code === 'INVALID_PARAM' &&
      e.field === 'findOrder' &&
      /findOrder: false/.test(e.message) &&
      /unsafe/.test(e.message),
  );
  assert.throws(
    () => client3.createNotifyHandler({ onPaid() {} }),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'findOrder',
  );
  const bad = [
    ['findOrder', [null, true, 'db', {}]],
    ['onPaid', [undefined, null, 'x']],
    ['onNotify', [null, 1]],
    ['onRefused', [null, 'log']],
    ['maxBytes', [0, -1, 1.5, 2 * 1024 * 1024, Infinity, NaN, '1024']],
    ['dedupeSize', [0, 1.5, Infinity]],
    ['readTimeoutMs', [0, -1, 1.5, 120001, Infinity, NaN, '100']],
  ];
  for (const client of [client2, client3]) {
    for (const [name, values] of bad) {
      for (const v of values)
        assert.throws(
          () => client.createNotifyHandler({ ...base, [name]: v }),
          (e) => e.code === 'INVALID_PARAM' && e.field === name,
          `${name}: ${String(v)}`,
        );
    }
    assert.throws(
      () => client.createNotifyHandler({ ...base, findorder: findOrder }),
      (e) => e.code === 'INVALID_PARAM' && /did you mean "findOrder"/.test(e.message),
    );
    assert.throws(
      () => client.createNotifyHandler({ ...base, readTimeout: 5 }),
      (e) => e.code === 'INVALID_PARAM' && /readTimeout/.test(e.message),
    );
    assert.equal(
      typeof client.createNotifyHandler({ ...base, maxBytes: 1, dedupeSize: 1, readTimeoutMs: 1 }),
      'function',
    );
    assert.equal(
      typeof client.createNotifyHandler({ ...base, findOrder: false, maxBytes: 1024 * 1024, readTimeoutMs: 120000 }),
      'function',
    );
  }
  assert.throws(
    () => client2.createNotifyHandler({ ...base, maxSkewSeconds: 300 }),
    (e) => e.code === 'INVALID_PARAM',
    'v2 has no timestamp window',
  );
  for (const v of [86400, 3601, -1, 1.5, Infinity, NaN, '300', null]) {
    assert.throws(
      () => client3.createNotifyHandler({ ...base, maxSkewSeconds: v }),
      (e) => e.code === 'INVALID_PARAM' && e.field === 'maxSkewSeconds',
      String(v),
    );
  }
  for (const v of [0, 300, 3600])
    assert.equal(typeof client3.createNotifyHandler({ ...base, maxSkewSeconds: v }), 'function');
});

// ---- bodies: declared size, consumed stream, failing stream, slow body

test('a Content-Length above maxBytes is refused (413) before reading; a lying small one is refused by counting; the next good call works', async () => {
  const r = recorder(client2, { maxBytes: 1024 });
  const stream = fakeReq(v2Notify('N500', 500), { 'content-length': '999999' });
  const res = fakeRes();
  await r.handler(stream, res);
  assert.equal(res.status, 413);
  assert.equal(res.headers.connection, 'close');
  assert.equal(stream.readableEnded, false, 'the body was not read');
  const lie = await v2Send(r.handler, `<xml>${'x'.repeat(5000)}</xml>`, { 'content-length': '10' });
  assert.equal(lie.status, 413);
  assert.deepEqual(
    r.refused.map((x) => x.code),
    ['INPUT_TOO_LARGE', 'INPUT_TOO_LARGE'],
  );
  assert.equal((await v2Send(r.handler, v2Notify('N500', 500))).status, 200);
  assert.deepEqual(r.paid, ['N500']);
});

test('a stream another middleware consumed is BODY_UNREADABLE, naming the cause (not SIGN_MISMATCH); a failing stream too; then a good call', async () => {
  const r = recorder(client2);
  const body = v2Notify('N600', 600);
  const consumed = fakeReq(body);
  for await (const c of consumed) void c; // what express.json / express.text do
  const res = fakeRes();
  await r.handler(consumed, res);
  assert.equal(res.status, 400);
  assert.ok(isFail(res.body));
  const failing = Object.assign(
    new Readable({
      read() {
        this.destroy(new Error('ECONNRESET'));
      },
    }),
    { headers: {} },
  );
  const res2 = fakeRes();
  await r.handler(failing, res2);
  assert.equal(res2.status, 400);
  // fetch-style: a Request whose body was read.
  const req = new Request('http://merchant/n', { method: 'POST', body });
  await req.text();
  assert.equal((await r.handler(req)).status, 400);
  assert.deepEqual(
    r.refused.map((x) => x.code),
    ['BODY_UNREADABLE', 'BODY_UNREADABLE', 'BODY_UNREADABLE'],
  );
  assert.match(
    r.refused[0].reason,
    /already read by another middleware \(e\.g\. express\.json\/express\.text\); mount the handler before it or pass the raw body/,
  );
  assert.doesNotMatch(r.refused[1].reason, /another middleware/);
  assert.equal((await v2Send(r.handler, body)).status, 200);
  assert.deepEqual(r.paid, ['N600']);
  r.noSecret(body);
});

test('node:http: a declared oversized body is answered 413 before it is sent; a slow body is ended at readTimeoutMs (408); then a good call', async () => {
  const r = recorder(client2, { readTimeoutMs: 150, maxBytes: 4096 });
  const server = createServer((req, res) => r.handler(req, res));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  /** Raw HTTP: sends the head and `first` bytes, then waits for the answer (or the close). */
  const raw = (head, first) =>
    new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => s.write(head + first));
      let text = '';
      const started = Date.now();
      s.on('data', (d) => {
        text += d;
      });
      s.on('error', reject);
      s.on('close', () => resolve({ text, ms: Date.now() - started }));
    });
  try {
    const big = await raw(
      'POST /n HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 10000000\r\n\r\n',
      '<xml>',
    );
    assert.match(big.text, /^HTTP\/1\.1 413/);
    assert.match(big.text, /connection: close/i);
    const body = v2Notify('N100', 100);
    const slow = await raw(
      `POST /n HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.slice(0, 20),
    );
    assert.match(slow.text, /^HTTP\/1\.1 408/);
    assert.ok(slow.ms < 5000, `ended at readTimeoutMs, not the host's timeout (${slow.ms} ms)`);
    assert.deepEqual(
      r.refused.map((x) => x.code),
      ['INPUT_TOO_LARGE', 'TIMEOUT'],
    );
    const good = await new Promise((resolve, reject) => {
      const q = request({ host: '127.0.0.1', port, method: 'POST', path: '/n' }, (res) => {
        let t = '';
        res.on('data', (c) => {
          t += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, t }));
      });
      q.on('error', reject);
      q.end(body);
    });
    assert.equal(good.status, 200, good.t);
    assert.deepEqual(r.paid, ['N100']);
    r.noSecret(body);
  } finally {
    server.close();
    server.closeAllConnections?.();
  }
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
  fetch: noNet,
});
/** A v3 callback: `resource` encrypted with AES-256-GCM, the body signed with RSA-SHA256 (amount as JSON text, so 2^53+1 stays exact). */
function v3Callback(no, total, { refund, serial = PUB_ID, signer = wechat.privateKey } = {}) {
  const amount =
    refund === undefined
      ? `{"total":${total},"payer_total":${total},"currency":"CNY","payer_currency":"CNY"}`
      : `{"total":${total},"refund":${refund},"payer_total":${total},"payer_refund":${refund}}`;
  const plain =
    refund === undefined
      ? `{"mchid":"${MCH}","appid":"${APPID}","out_trade_no":"${no}","transaction_id":"42000${no}","trade_type":"JSAPI","trade_state":"SUCCESS","trade_state_desc":"ok","bank_type":"OTHERS","attach":"","success_time":"2026-12-03T12:00:00+08:00","payer":{"openid":"o1"},"amount":${amount}}`
      : `{"mchid":"${MCH}","out_trade_no":"${no}","transaction_id":"42000${no}","out_refund_no":"R${no}","refund_id":"50000${no}","refund_status":"SUCCESS","success_time":"2026-12-03T12:00:00+08:00","user_received_account":"x","amount":${amount}}`;
  const original = refund === undefined ? 'transaction' : 'refund';
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
  c.setAAD(Buffer.from(original));
  const ct = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: randomBytes(8).toString('hex'),
    create_time: '2026-12-03T12:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: refund === undefined ? 'TRANSACTION.SUCCESS' : 'REFUND.SUCCESS',
    summary: 's',
    resource: {
      original_type: original,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ct,
      associated_data: original,
      nonce,
    },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const hn = randomBytes(16).toString('hex');
  const sig = createSign('RSA-SHA256').update(`${ts}\n${hn}\n${body}\n`).sign(signer, 'base64');
  return {
    body,
    headers: {
      'wechatpay-timestamp': ts,
      'wechatpay-nonce': hn,
      'wechatpay-signature': sig,
      'wechatpay-serial': serial,
      'content-type': 'application/json',
    },
  };
}
const v3Send = async (handler, cb) => {
  const res = fakeRes();
  await handler(fakeReq(cb.body, cb.headers), res);
  return res;
};

test('v3: a validly signed callback of another amount is refused (401, AMOUNT_MISMATCH) before onPaid; the right one after it is accepted once', async () => {
  const r = recorder(client3);
  const wrong = v3Callback('N100', 1);
  const a = await v3Send(r.handler, wrong);
  assert.equal(a.status, 401);
  assert.equal(JSON.parse(a.body).code, 'FAIL');
  assert.deepEqual(r.paid, []);
  const right = v3Callback('N100', 100);
  for (const s of await Promise.all([v3Send(r.handler, right), v3Send(r.handler, right)])) assert.equal(s.status, 204);
  assert.equal((await v3Send(r.handler, v3Callback('N100', 100))).status, 204);
  assert.deepEqual(r.paid, ['N100']);
  // Above 2^53: JSON.parse would round 9007199254740993 to ...992; refused, not rounded to a match.
  assert.equal((await v3Send(r.handler, v3Callback('BIG', '9007199254740993'))).status, 401);
  assert.equal((await v3Send(r.handler, v3Callback('N999', 100))).status, 500, 'an unknown order: WeChat retries');
  assert.deepEqual(
    r.refused.map((x) => [x.code, x.outTradeNo, x.serial]),
    [
      ['AMOUNT_MISMATCH', 'N100', PUB_ID],
      ['INVALID_JSON', undefined, PUB_ID], // 2^53+1: refused by the core before any comparison (issue 26)
      ['OUT_TRADE_NO_MISMATCH', 'N999', PUB_ID],
    ],
  );
  r.noSecret(
    wrong.body,
    wrong.headers['wechatpay-signature'],
    wrong.headers['wechatpay-nonce'],
    wrong.body.match(/"ciphertext":"([^"]+)/)[1],
  );
});

test('v3 refund callbacks: amount.total checked against the order, amount.refund not above it; then onNotify', async () => {
  const r = recorder(client3);
  assert.equal((await v3Send(r.handler, v3Callback('N200', 1, { refund: 1 }))).status, 401);
  assert.equal((await v3Send(r.handler, v3Callback('N200', 200, { refund: 201 }))).status, 401);
  assert.equal((await v3Send(r.handler, v3Callback('N200', 200, { refund: 50 }))).status, 204);
  assert.deepEqual(
    r.others.map((n) => n.resource.out_refund_no),
    ['RN200'],
  );
  assert.deepEqual(r.paid, []);
  assert.deepEqual(
    r.refused.map((x) => x.code),
    ['AMOUNT_MISMATCH', 'AMOUNT_MISMATCH'],
  );
});

test('v3: forged, unknown serial, tampered, consumed: reported with their codes and no secret; a good call after each', async () => {
  const r = recorder(client3);
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = v3Callback('N300', 300, { signer: other.privateKey });
  const unknown = v3Callback('N300', 300, { serial: 'PUB_KEY_ID_0119000001092026120300000000000099' });
  const hostileSerial = v3Callback('N300', 300, { serial: 'x\r\nInjected: yes' });
  const tampered = v3Callback('N300', 300);
  tampered.body = tampered.body.replace('"summary":"s"', '"summary":"t"');
  for (const bad of [forged, unknown, hostileSerial, tampered]) {
    assert.equal((await v3Send(r.handler, bad)).status, 401);
    assert.equal((await v3Send(r.handler, v3Callback('N300', 300))).status, 204);
  }
  const consumed = fakeReq(forged.body, forged.headers);
  for await (const c of consumed) void c;
  const res = fakeRes();
  await r.handler(consumed, res);
  assert.equal(res.status, 400);
  assert.deepEqual(
    r.refused.map((x) => x.code),
    ['SIGN_MISMATCH', 'UNKNOWN_SERIAL', 'UNKNOWN_SERIAL', 'SIGN_MISMATCH', 'BODY_UNREADABLE'],
  );
  assert.equal(r.refused[1].serial, 'PUB_KEY_ID_0119000001092026120300000000000099');
  assert.equal(r.refused[2].serial, undefined, 'a serial unfit for a log line is left out');
  assert.equal(r.refused[0].outTradeNo, undefined);
  assert.deepEqual(r.paid, ['N300']);
  r.noSecret(
    ...[forged, unknown, hostileSerial, tampered].flatMap((cb) => [
      cb.body,
      cb.headers['wechatpay-signature'],
      cb.headers['wechatpay-nonce'],
    ]),
    'Injected',
  );
});

test('v3: maxSkewSeconds at its bounds works for genuine callbacks; onRefused throwing is ignored', async () => {
  const handler = client3.createNotifyHandler({
    findOrder,
    onPaid() {},
    maxSkewSeconds: 3600,
    onRefused: () => {
      throw new Error('logger down');
    },
  });
  assert.equal((await v3Send(handler, v3Callback('N400', 400))).status, 204);
  assert.equal((await v3Send(handler, v3Callback('N400', 1))).status, 401);
  const asyncThrow = client3.createNotifyHandler({
    findOrder,
    onPaid() {},
    onRefused: async () => {
      throw new Error('logger down');
    },
  });
  assert.equal((await v3Send(asyncThrow, v3Callback('N400', 1))).status, 401);
});
