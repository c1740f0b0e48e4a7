// README's server example, exactly as README prints it (the block after
// `<!-- tested: readme-server -->`), run as its own Node process against the built package.
// WeChat is played by a fake written here with node:crypto, and the notifications are signed
// here with node:crypto too, so nothing the package computes is used to judge the package.
// Every request must get its answer — SUCCESS only for a genuine paid notification, FAIL for
// everything else — and the process must still be serving after all of them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { read, taggedBlock } from './support/markdown.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const KEY = '192006250b4c09247ec02edce69f6a2d'; // WeChat's documented sample key
const OTHER_KEY = 'ffffffffffffffffffffffffffffffff';
const APPID = 'wxd930ea5d5a258f4f';
const MCH_ID = '10000100';
const NOTIFY_URL = 'https://shop.example.com/wxpay/notify';

/** WeChat's v2 sign, written from the documented rule: sorted non-empty k=v, &key=, MD5, upper hex. */
const md5Sign = (fields, key = KEY) =>
  createHash('md5')
    .update(
      `${Object.keys(fields)
        .filter((k) => k !== 'sign' && fields[k] !== '' && fields[k] !== undefined)
        .sort()
        .map((k) => `${k}=${fields[k]}`)
        .join('&')}&key=${key}`,
      'utf8',
    )
    .digest('hex')
    .toUpperCase();
const toXml = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
const signed = (f, key = KEY) => toXml({ ...f, sign: md5Sign(f, key) });
/** Enough XML reading for the flat documents of this test (CDATA or plain text fields). */
function readXml(xml) {
  assert.match(xml, /^<xml>[\s\S]*<\/xml>$/, `not an <xml> reply: ${xml}`);
  const out = {};
  for (const m of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) out[m[1]] = m[2] ?? m[3];
  return out;
}

let dir, fake, shop, base;
const unifiedOrders = [];
const output = [];

/** The fake WeChat: /pay/unifiedorder checks the request's sign and answers a signed prepay_id. */
function startFakeWechat() {
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const f = readXml(body);
      unifiedOrders.push(f);
      const ok = req.url === '/pay/unifiedorder' && f.sign === md5Sign(f);
      const reply = ok
        ? {
            return_code: 'SUCCESS',
            result_code: 'SUCCESS',
            appid: f.appid,
            mch_id: f.mch_id,
            nonce_str: 'fake',
            trade_type: 'JSAPI',
            prepay_id: `wx${f.out_trade_no}`,
          }
        : { return_code: 'FAIL', return_msg: 'sign error' };
      // openid BADSIGN: a reply whose sign is wrong, which the README code must refuse.
      const xml =
        f.openid === 'BADSIGN' ? signed(reply, OTHER_KEY) : reply.return_code === 'FAIL' ? toXml(reply) : signed(reply);
      res.writeHead(200, { 'content-type': 'text/xml' }).end(xml);
    });
  });
  return new Promise((r) => fake.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${fake.address().port}`)));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wxpay-readme-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(dir, 'node_modules/wxpay-wasm'), 'dir'); // require('wxpay-wasm') → the built package
  // README's block unchanged, then the test's one addition: a database that fails for one order.
  writeFileSync(
    join(dir, 'server.cjs'),
    `${taggedBlock(read(join(root, 'README.md')), 'readme-server')}
// Added by tests/js/readme.test.mjs: the database throws for order DBDOWN.
{ const get = orders.get.bind(orders); orders.get = (no) => { if (no === 'DBDOWN') throw new Error('database unavailable'); return get(no); }; }
`,
  );
  const wechat = await startFakeWechat();
  shop = spawn(process.execPath, [join(dir, 'server.cjs')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WXPAY_KEY: KEY,
      WXPAY_APPID: APPID,
      WXPAY_MCH_ID: MCH_ID,
      WXPAY_BASE_URL: wechat,
      NOTIFY_URL,
      PORT: '0',
    },
  });
  const onData = (d) => output.push(...String(d).split('\n').filter(Boolean));
  shop.stdout.on('data', onData);
  shop.stderr.on('data', onData);
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`README server did not start:\n${output.join('\n')}`)), 15000);
    shop.stdout.on('data', () => {
      const m = output.map((l) => /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(l)).find(Boolean);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    shop.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`README server exited (${code}):\n${output.join('\n')}`));
    });
  });
});

after(async () => {
  if (shop && shop.exitCode === null && shop.signalCode === null) {
    await new Promise((r) => {
      shop.once('close', r);
      shop.kill('SIGTERM');
    });
  }
  await new Promise((r) => (fake ? fake.close(r) : r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', body });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
const notify = async (body) => {
  const r = await post('/wxpay/notify', body);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'text/xml');
  return readXml(r.text);
};
const alive = () =>
  assert.ok(shop.exitCode === null && shop.signalCode === null, `README server died:\n${output.join('\n')}`);

let order; // the unified order README's code sent to the fake WeChat
const paidNotice = (extra = {}) => ({
  return_code: 'SUCCESS',
  result_code: 'SUCCESS',
  appid: APPID,
  mch_id: MCH_ID,
  nonce_str: 'n0nce',
  openid: 'oUser',
  trade_type: 'JSAPI',
  bank_type: 'CMC',
  total_fee: order.total_fee,
  cash_fee: order.total_fee,
  out_trade_no: order.out_trade_no,
  transaction_id: '4200000001202612010000000001',
  time_end: '20261201120000',
  ...extra,
});

test('POST /orders: a signed unified order, and requestPayment params whose paySign node:crypto reproduces', async () => {
  const r = await post('/orders', JSON.stringify({ openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', total_fee: 1 }));
  assert.equal(r.status, 200, r.text);
  order = unifiedOrders.at(-1);
  assert.equal(order.sign, md5Sign(order), "the request README sends is signed by WeChat's rule");
  assert.equal(order.notify_url, NOTIFY_URL);
  assert.equal(order.total_fee, '1');
  const pay = JSON.parse(r.text);
  assert.equal(pay.package, `prepay_id=wx${order.out_trade_no}`);
  const { paySign, ...rest } = pay;
  assert.equal(paySign, md5Sign(rest));
});

test('POST /orders: a WeChat reply with a wrong sign → 502, the process stays up', async () => {
  const r = await post('/orders', JSON.stringify({ openid: 'BADSIGN', total_fee: 1 }));
  assert.equal(r.status, 502);
  assert.deepEqual(JSON.parse(r.text), { error: 'SIGN_MISMATCH' });
  const bad = await post('/orders', '{not json');
  assert.equal(bad.status, 502);
  alive();
});

test('hostile notifications are each answered FAIL with the reason, the order stays unpaid', async () => {
  const cases = [
    ['signed with another key', signed(paidNotice(), OTHER_KEY), 'SIGN_MISMATCH'],
    ['validly signed, another amount', signed(paidNotice({ total_fee: '2', cash_fee: '2' })), 'AMOUNT_MISMATCH'],
    ['validly signed, another merchant', signed(paidNotice({ mch_id: '1900000109' })), 'MCH_ID_MISMATCH'],
    ['no sign at all', toXml(paidNotice()), 'SIGN_MISSING'],
    ['an unknown out_trade_no, validly signed', signed(paidNotice({ out_trade_no: 'NOSUCHORDER' })), 'unknown order'],
    ['no out_trade_no', signed({ return_code: 'SUCCESS', appid: APPID }), 'unknown order'],
    ['malformed XML', '<xml><out_trade_no>', 'INVALID_XML'],
    ['a DOCTYPE (XXE)', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>', 'XML_FORBIDDEN'],
    ['a JSON body', JSON.stringify(paidNotice()), undefined],
    ['an empty body', '', undefined],
    ['a body over 64 KiB', `<xml><a>${'x'.repeat(70000)}</a></xml>`, 'INPUT_TOO_LARGE'],
    ['the database throws', signed(paidNotice({ out_trade_no: 'DBDOWN' })), 'internal error'],
  ];
  for (const [what, body, reason] of cases) {
    const reply = await notify(body);
    assert.equal(reply.return_code, 'FAIL', what);
    if (reason) assert.equal(reply.return_msg, reason, what);
    else assert.ok(reply.return_msg, what);
    alive();
  }
  assert.ok(!output.some((l) => / PAID /.test(l)), 'no hostile notification marked the order paid');
  assert.ok(!output.join('\n').includes(KEY), 'the key never appears in the log');
});

test('an aborted request and a wrong method or path do not disturb the server', async () => {
  await new Promise((resolve) => {
    const req = request(`${base}/wxpay/notify`, { method: 'POST', headers: { 'content-length': '1000' } });
    req.on('error', () => resolve());
    req.write('<xml><out_trade_no>');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 50);
  });
  const get = await fetch(`${base}/wxpay/notify`);
  assert.equal(get.status, 404);
  assert.equal((await post('/nowhere', 'x')).status, 404);
  alive();
});

test('the genuine paid notification → SUCCESS; its duplicates → SUCCESS again', async () => {
  assert.deepEqual(await notify(signed(paidNotice())), { return_code: 'SUCCESS', return_msg: 'OK' });
  for (let i = 0; i < 3; i++) assert.equal((await notify(signed(paidNotice()))).return_code, 'SUCCESS');
  // Paid or not, a forged one is still refused.
  assert.equal((await notify(signed(paidNotice({ total_fee: '100', cash_fee: '100' })))).return_msg, 'AMOUNT_MISMATCH');
  alive();
});

test('after everything, the process is still up and marked the order paid exactly once', async () => {
  alive();
  await new Promise((r) => {
    shop.once('close', r);
    shop.kill('SIGTERM');
  });
  const paid = output.filter((l) => l.startsWith(`order ${order.out_trade_no} PAID`));
  assert.equal(paid.length, 1, output.join('\n'));
  assert.ok(
    output.some((l) => /refused: SIGN_MISMATCH/.test(l)),
    'refusals are logged with their code',
  );
});
