// Issue 12, v3: the example server against the mock's key modes and the callbacks the mock can
// forge. Migration (--v3-keys migrating, the server verifying with the public key AND the
// platform certificate, WXPAY_V3_VERIFY=both): callbacks signed by either are all accepted,
// each order paid once. Certificate mode (--v3-keys cert, WXPAY_V3_VERIFY=cert): the server's
// client downloads /v3/certificates at start (seen in the mock's own fault record). Then
// wrong-amount, unknown-serial and probe callbacks are refused, and a duplicate refund callback
// is applied once. Which key signed each callback is read from the TLS front (the headers the
// mock sent); what was paid is the mock's record (GET /_mock/orders), not the server's answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, readV3KeysFor, startMock, startShop, startTlsFront, waitFor } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-e2e-v3keys-'));
const keysDir = join(dir, 'keys');
const setups = {};
let info;

/** A mock in `mode`, a TLS front recording what it passes on, and the server verifying with `verify`. */
async function setup(mode, verify, { beforeShop } = {}) {
  const seen = [];
  const s = { seen };
  s.front = await startTlsFront(join(dir, mode), () => s.shop.url, seen);
  s.mock = await startMock(
    ['--quiet', '--keys-dir', keysDir, '--v3-keys', mode, '--time-scale', '0.0001', '--refund-delay', '-1'],
    { env: { NODE_EXTRA_CA_CERTS: s.front.certFile } },
  );
  await beforeShop?.(s.mock);
  s.shop = await startShop(s.mock.url, {
    api: 'v3',
    key: undefined,
    v3: readV3KeysFor(keysDir, verify),
    notifyBaseUrl: s.front.url,
  });
  return s;
}

before(async () => {
  const { mkdirSync } = await import('node:fs');
  for (const m of ['migrating', 'cert', 'pubkey']) mkdirSync(join(dir, m), { recursive: true });
  setups.migrating = await setup('migrating', 'both');
  info = JSON.parse(readFileSync(join(keysDir, 'wechatpay.json'), 'utf8'));
  // The fault record names every request a fault fired on: a 0 ms slow one marks the first call.
  setups.cert = await setup('cert', 'cert', {
    beforeShop: async (mock) =>
      assert.equal((await call(mock.url, 'POST', '/_mock/faults', { kind: 'slow', delayMs: 0 })).status, 200),
  });
  setups.pubkey = await setup('pubkey', 'pubkey');
});
after(async () => {
  for (const s of Object.values(setups)) {
    await s.shop?.stop();
    await s.front?.close();
    await s.mock?.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

const order = async (s, no) => (await call(s.shop.url, 'GET', `/orders/${no}`)).body;
const mockOrder = async (s, no) => (await call(s.mock.url, 'GET', `/_mock/orders/${no}`)).body;
const ctl = (s, path, body = {}) => call(s.mock.url, 'POST', `/_mock${path}`, body);
async function newOrder(s, total = 100) {
  const r = await call(s.shop.url, 'POST', '/orders', { openid: 'o-v3-keys', total_fee: total });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.out_trade_no;
}
/** Pays `nos` at the mock, each callback delivered, and checks the store against the mock. */
async function payAll(s, nos) {
  await Promise.all(nos.map(async (no) => assert.equal((await ctl(s, `/orders/${no}/pay`)).status, 200)));
  await waitFor(
    async () => (await Promise.all(nos.map((no) => order(s, no)))).every((o) => o.state === 'PAID'),
    'all PAID',
  );
  const paidTimes = await s.shop.app.db.paidTransitions();
  for (const no of nos) {
    const m = await waitFor(async () => {
      const x = await mockOrder(s, no);
      return x.notify_state === 'acknowledged' && x;
    }, `${no} acknowledged`);
    assert.equal(m.trade_state, 'SUCCESS');
    assert.equal((await order(s, no)).transaction_id, m.transaction_id);
    assert.equal(paidTimes[no], 1, `${no} paid once`);
  }
}
const notifiesOf = (s, from) => s.seen.slice(from).filter((x) => x.url === '/wxpay/notify');

describe('migration: --v3-keys migrating, the server verifying with both keys', () => {
  test('20 orders paid, plus duplicates: callbacks signed by either key are all accepted, each order paid once', async () => {
    const s = setups.migrating;
    const from = s.seen.length;
    const nos = [];
    for (let i = 0; i < 20; i++) nos.push(await newOrder(s, 100 + i));
    await payAll(s, nos);
    for (const no of nos.slice(0, 5)) {
      const dup = await ctl(s, `/orders/${no}/notify`, { kind: 'duplicate', count: 4 });
      assert.ok(
        dup.body.replies.every((r) => r.ok),
        JSON.stringify(dup.body.replies),
      );
    }
    const cbs = notifiesOf(s, from);
    assert.ok(cbs.length >= 40, `${cbs.length} callbacks`);
    const bySerial = {};
    for (const cb of cbs)
      bySerial[cb.headers['wechatpay-serial']] = (bySerial[cb.headers['wechatpay-serial']] ?? 0) + 1;
    assert.deepEqual(
      Object.keys(bySerial).sort(),
      [info.platformSerial, info.publicKeyId].sort(),
      JSON.stringify(bySerial),
    );
    assert.ok(
      cbs.every((cb) => cb.status === 204 || cb.status === 200),
      JSON.stringify(cbs.map((c) => c.status)),
    );
    const paidTimes = await s.shop.app.db.paidTransitions();
    for (const no of nos) assert.equal(paidTimes[no], 1);
    console.log(
      `[e2e-v3-keys] migrating: ${cbs.length} callbacks, by serial ${JSON.stringify(bySerial)}, all accepted`,
    );
  });

  test('answers signed by the certificate (no Wechatpay-Serial asked) verify too: a lost callback is found by reconciliation', async () => {
    const s = setups.migrating;
    const no = await newOrder(s);
    await ctl(s, `/orders/${no}/pay`, { notify: false });
    const r = await call(s.shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0 });
    assert.equal(r.body.errors, 0, JSON.stringify(r.body));
    assert.equal((await order(s, no)).state, 'PAID');
    assert.equal((await order(s, no)).transaction_id, (await mockOrder(s, no)).transaction_id);
  });
});

describe('certificate mode: --v3-keys cert, the server holding only platform_cert.pem', () => {
  test('the client downloaded /v3/certificates at start; orders are paid through certificate-signed callbacks', async () => {
    const s = setups.cert;
    const faults = (await call(s.mock.url, 'GET', '/_mock/faults')).body;
    assert.deepEqual(
      faults.history.map((h) => [h.method, h.path]),
      [['GET', '/v3/certificates']],
      "the server's first call",
    );
    assert.ok(
      s.shop.logs.some((l) => l.includes(`verifying with ${info.platformSerial}`)),
      s.shop.logs.join('\n'),
    );
    const from = s.seen.length;
    const nos = [];
    for (let i = 0; i < 5; i++) nos.push(await newOrder(s, 200 + i));
    await payAll(s, nos);
    assert.ok(notifiesOf(s, from).every((cb) => cb.headers['wechatpay-serial'] === info.platformSerial));
  });

  test('unknown-serial (next_platform_cert.pem, not listed by /v3/certificates): refused, the order stays CREATED', async () => {
    const s = setups.cert;
    const no = await newOrder(s);
    await ctl(s, `/orders/${no}/pay`, { notify: false });
    const r = await ctl(s, `/orders/${no}/notify`, { kind: 'unknown-serial' });
    assert.equal(r.body.replies[0].ok, false, JSON.stringify(r.body.replies));
    assert.equal((await order(s, no)).state, 'CREATED');
    assert.ok(
      s.shop.logs.some((l) => /notify REJECTED UNKNOWN_SERIAL/.test(l)),
      s.shop.logs.join('\n'),
    );
  });
});

describe('callbacks the mock forges (public-key mode, the default config)', () => {
  for (const [kind, extra, code] of [
    ['wrong-amount', { amount: 1 }, 'AMOUNT_MISMATCH'],
    ['unknown-serial', {}, 'UNKNOWN_SERIAL'],
    ['probe', {}, 'SIGN_MISMATCH'],
  ]) {
    test(`${kind}: refused with a non-2xx answer (${code}), the order stays unpaid`, async () => {
      const s = setups.pubkey;
      const no = await newOrder(s);
      await ctl(s, `/orders/${no}/pay`, { notify: false });
      const from = s.seen.length;
      const r = await ctl(s, `/orders/${no}/notify`, { kind, ...extra });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.replies[0].ok, false);
      const [cb] = notifiesOf(s, from);
      assert.ok(cb.status >= 400, `answered ${cb.status}`);
      const o = await order(s, no);
      assert.equal(o.state, 'CREATED');
      assert.equal(o.history.length, 0);
      assert.ok(
        s.shop.logs.some((l) => l.includes(`notify REJECTED ${code}`)),
        s.shop.logs.join('\n'),
      );
      assert.equal(
        (await mockOrder(s, no)).trade_state,
        'SUCCESS',
        'the mock did take the money: reconciliation will find it',
      );
    });
  }

  test('a duplicate REFUND.SUCCESS callback is applied once', async () => {
    const s = setups.pubkey;
    const no = await newOrder(s, 321);
    await ctl(s, `/orders/${no}/pay`);
    await waitFor(async () => (await order(s, no)).state === 'PAID', 'PAID');
    const r = await call(s.shop.url, 'POST', `/orders/${no}/refund`);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const rno = r.body.out_refund_no;
    assert.equal((await ctl(s, `/refunds/${rno}/complete`, { status: 'SUCCESS' })).status, 200);
    await waitFor(async () => (await order(s, no)).state === 'REFUNDED', 'REFUNDED');
    const dup = await ctl(s, `/refunds/${rno}/notify`, { kind: 'duplicate' });
    assert.equal(dup.status, 200, JSON.stringify(dup.body));
    assert.ok(dup.body.replies.length >= 2 && dup.body.replies.every((x) => x.ok), JSON.stringify(dup.body.replies));
    const o = await order(s, no);
    assert.deepEqual(
      o.history.map((h) => `${h.from_state}→${h.to_state}`),
      ['CREATED→PAID', 'PAID→REFUNDING', 'REFUNDING→REFUNDED'],
    );
    const m = (await call(s.mock.url, 'GET', `/_mock/refunds/${rno}`)).body;
    assert.equal(m.refund_status ?? m.status, 'SUCCESS');
    assert.equal(o.refunds.length, 1);
    assert.equal(o.refunds[0].refund_id, m.refund_id);
    assert.ok(
      s.shop.logs.some((l) => l.includes(`refund notify ${rno} SUCCESS: duplicate, nothing changed`)),
      s.shop.logs.join('\n'),
    );
  });
});

describe('key configuration', () => {
  test('v3 without any WeChat key, or a half pair, is refused at start, naming what is missing', async () => {
    const { createApp } = await import('../app.js');
    const both = readV3KeysFor(keysDir, 'both');
    const base = {
      api: 'v3',
      appid: info.appid,
      mchId: info.mchid,
      baseUrl: setups.pubkey.mock.url,
      dbFile: ':memory:',
      orderTtlSeconds: 900,
      reconcileAfterSeconds: 60,
      log: () => {},
    };
    const { publicKey: _p, publicKeyId: _i, platformCert: _c, ...none } = both;
    await assert.rejects(createApp({ ...base, v3: none }), /needs publicKey \(pub_key\.pem\) or platformCert/);
    await assert.rejects(
      createApp({ ...base, v3: { ...none, publicKey: both.publicKey } }),
      /needs publicKeyId with publicKey/,
    );
    await assert.rejects(
      createApp({ ...base, v3: { ...none, platformCert: both.platformCert, platformSerial: '' } }),
      /needs platformSerial with platformCert/,
    );
    // Certificate mode against a mock that signs with the public key: the start-up download is
    // refused (its answer names a key not held), logged; the server starts and refuses such answers.
    const logs = [];
    const app = await createApp({
      ...base,
      v3: readV3KeysFor(keysDir, 'cert'),
      notifyBaseUrl: 'https://shop.example.com',
      log: (l) => logs.push(l),
    });
    try {
      assert.ok(
        logs.some((l) => /certificates: download failed \(UNKNOWN_SERIAL/.test(l)),
        logs.join('\n'),
      );
      const url = await app.listen(0);
      const r = await call(url, 'POST', '/orders', { openid: 'o', total_fee: 1 });
      assert.equal(r.status, 502);
      assert.equal(r.body.code, 'UNKNOWN_SERIAL');
    } finally {
      await app.close();
    }
  });
});

describe('server.js', () => {
  test('WXPAY_V3_VERIFY and WXPAY_TIMEOUT_MS / WXPAY_RETRIES are checked at start (exit 2, the reason printed)', async () => {
    const { spawnSync } = await import('node:child_process');
    const server = new URL('../server.js', import.meta.url).pathname;
    const base = {
      ...process.env,
      WXPAY_APPID: info.appid,
      WXPAY_MCH_ID: info.mchid,
      WXPAY_KEY: 'k'.repeat(32),
      DB_FILE: ':memory:',
      PORT: '0',
      EXIT_AFTER_SECONDS: '1',
      RECONCILE_INTERVAL_SECONDS: '0',
    };
    for (const [env, msg] of [
      [
        { WXPAY_API: 'v3', WXPAY_V3_KEYS_DIR: keysDir, WXPAY_V3_VERIFY: 'certificate' },
        /WXPAY_V3_VERIFY must be pubkey, cert or both, not certificate/,
      ],
      [{ WXPAY_TIMEOUT_MS: '-5' }, /WXPAY_TIMEOUT_MS must be a non-negative integer, not -5/],
      [{ WXPAY_RETRIES: 'two' }, /WXPAY_RETRIES must be a non-negative integer, not two/],
    ]) {
      const r = spawnSync(process.execPath, [server], { env: { ...base, ...env }, encoding: 'utf8', timeout: 15000 });
      assert.equal(r.status, 2, `${JSON.stringify(env)}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    const ok = spawnSync(process.execPath, [server], {
      env: {
        ...base,
        WXPAY_API: 'v3',
        WXPAY_V3_KEYS_DIR: keysDir,
        WXPAY_V3_VERIFY: 'both',
        WXPAY_BASE_URL: setups.migrating.mock.url,
        WXPAY_TIMEOUT_MS: '1000',
        WXPAY_RETRIES: '1',
      },
      encoding: 'utf8',
      timeout: 15000,
    });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, new RegExp(`certificates: verifying with ${info.publicKeyId}, ${info.platformSerial}`));
  });
});
