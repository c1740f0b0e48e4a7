// End to end: the package's mock (a child process, started through its CLI) and the
// reference merchant server, on loopback ports, driven as WeChat and a payer would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import wx from 'wxpay-wasm';
import { APPID, KEY, MCH_ID, call, md5Sign, readXml, startMock, startShop, waitFor } from './helpers.mjs';

// 0.0001: WeChat's first retry (15 s) after 1.5 ms, its whole 24-hour schedule in 8.7 s.
const SCALE = '0.0001';
let mock;
let shop;

before(async () => {
  mock = await startMock(['--time-scale', SCALE, '--refund-delay', '5']);
  shop = await startShop(mock.url);
});
after(async () => {
  await shop?.stop();
  await mock?.stop();
});

const order = async (no) => (await call(shop.url, 'GET', `/orders/${no}`)).body;
const mockOrder = async (no) => (await call(mock.url, 'GET', `/_mock/orders/${no}`)).body;
const ctl = (path, body = {}) => call(mock.url, 'POST', `/_mock${path}`, body);

async function newOrder(totalFee = 100) {
  const res = await call(shop.url, 'POST', '/orders', { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', total_fee: totalFee });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function paid(no) {
  return waitFor(async () => (await order(no)).state === 'PAID', `order ${no} PAID`);
}

describe('payment', () => {
  test('happy path: order, requestPayment params, pay in the mock, notification → PAID once', async () => {
    const created = await newOrder(100);
    assert.equal(created.state, 'CREATED');
    const p = created.payment;
    // paySign recomputed here from WeChat's documented rule (camelCase keys, ASCII order).
    const expected = createHash('md5')
      .update(
        `appId=${p.appId}&nonceStr=${p.nonceStr}&package=${p.package}&signType=MD5&timeStamp=${p.timeStamp}&key=${KEY}`,
      )
      .digest('hex')
      .toUpperCase();
    assert.equal(p.paySign, expected);
    assert.match(p.package, /^prepay_id=wx\d+/);

    assert.equal((await ctl(`/orders/${created.out_trade_no}/pay`)).status, 200);
    await paid(created.out_trade_no);
    const o = await order(created.out_trade_no);
    assert.deepEqual(
      o.history.map((h) => [h.from_state, h.to_state, h.source]),
      [['CREATED', 'PAID', 'notify']],
    );
    const m = await waitFor(async () => {
      const x = await mockOrder(created.out_trade_no);
      return x.notify_state === 'acknowledged' && x;
    }, 'acknowledged');
    assert.equal(o.transaction_id, m.transaction_id);
    assert.equal(m.deliveries.length, 1);
  });

  test('duplicate notifications (sent at once) make one transition and are all acknowledged', async () => {
    const { out_trade_no: no } = await newOrder(250);
    await ctl(`/orders/${no}/pay`);
    await paid(no);
    const dup = await ctl(`/orders/${no}/notify`, { kind: 'duplicate', count: 5 });
    assert.equal(dup.body.replies.length, 5);
    for (const r of dup.body.replies) assert.equal(readXml(r.reply).return_code, 'SUCCESS');
    assert.equal((await order(no)).history.length, 1);
  });

  test('forged, tampered and wrong-amount notifications are refused and change nothing', async () => {
    const { out_trade_no: no } = await newOrder(300);
    for (const kind of ['forged', 'tampered', 'wrong-amount']) {
      const res = await ctl(`/orders/${no}/notify`, { kind });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reply = readXml(res.body.replies[0].reply);
      assert.equal(reply.return_code, 'FAIL', `${kind} must be refused`);
      assert.equal(reply.return_msg, kind === 'wrong-amount' ? 'AMOUNT_MISMATCH' : 'SIGN_MISMATCH');
      const o = await order(no);
      assert.equal(o.state, 'CREATED');
      assert.equal(o.history.length, 0);
    }
    // Once really paid, the same attacks still change nothing.
    await ctl(`/orders/${no}/pay`);
    await paid(no);
    for (const kind of ['forged', 'tampered', 'wrong-amount']) {
      const res = await ctl(`/orders/${no}/notify`, { kind, amount: 1 });
      assert.equal(readXml(res.body.replies[0].reply).return_code, 'FAIL');
    }
    assert.equal((await order(no)).history.length, 1);
  });

  test('a failed payment: result_code FAIL notification → PAY_FAILED', async () => {
    const { out_trade_no: no } = await newOrder(120);
    await ctl(`/orders/${no}/fail`);
    await waitFor(async () => (await order(no)).state === 'PAY_FAILED', 'PAY_FAILED');
  });

  test('a delayed notification still moves the order once it arrives', async () => {
    const { out_trade_no: no } = await newOrder(130);
    await ctl(`/orders/${no}/pay`, { notify: false });
    const asked = Date.now();
    const res = await ctl(`/orders/${no}/notify`, { kind: 'delayed', delay: 600 }); // 10 minutes, scaled: 60 ms
    assert.match(res.body.scheduled, /^in \d/);
    await paid(no);
    const [delivery] = (await mockOrder(no)).deliveries;
    assert.equal(delivery.kind, 'delayed');
    // A lower bound only: timers never fire early, however slow the machine.
    assert.ok(Date.parse(delivery.at) >= asked + 50, `sent ${Date.parse(delivery.at) - asked} ms after the request`);
  });

  test('a lost notification is found by reconciliation (orderquery)', async () => {
    const { out_trade_no: no } = await newOrder(400);
    await ctl(`/orders/${no}/pay`, { notify: false });
    assert.equal((await order(no)).state, 'CREATED');
    const r = await call(shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0 });
    assert.ok(r.body.paid >= 1, JSON.stringify(r.body));
    const o = await order(no);
    assert.equal(o.state, 'PAID');
    assert.deepEqual(
      o.history.map((h) => h.source),
      ['reconcile'],
    );
    assert.equal((await mockOrder(no)).deliveries.length, 0);
    // A late notification afterwards is a duplicate.
    await ctl(`/orders/${no}/notify`, { kind: 'once' });
    assert.equal((await order(no)).history.length, 1);
  });

  test('an expired order cannot be paid and is closed by reconciliation', async () => {
    const { out_trade_no: no } = await newOrder(500);
    await ctl(`/orders/${no}/expire`);
    const pay = await ctl(`/orders/${no}/pay`);
    assert.equal(pay.status, 409);
    assert.match(pay.body.error, /expired/);
    // Not yet past the merchant's own TTL: reconciliation leaves it alone.
    await call(shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0 });
    assert.equal((await order(no)).state, 'CREATED');
    const r = await call(shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0, expireAfterSeconds: 0 });
    assert.ok(r.body.closed >= 1, JSON.stringify(r.body));
    assert.equal((await order(no)).state, 'CLOSED');
    assert.equal((await mockOrder(no)).trade_state, 'CLOSED');
  });
});

// The mock's retry schedule against a merchant of the test's own: no store involved, so once is enough.
describe('retries', {
  skip: process.env.E2E_STORE === 'postgres' && 'store-independent (runs in e2e.test.mjs)',
}, () => {
  /** A notify_url that answers FAIL `failures` times, then SUCCESS; records every body. */
  async function flakyMerchant(failures) {
    const bodies = [];
    const server = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => {
        b += c;
      });
      req.on('end', () => {
        bodies.push(b);
        res.end(wx.notifyReply(bodies.length > failures, bodies.length > failures ? undefined : 'try again'));
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return {
      bodies,
      url: `http://127.0.0.1:${server.address().port}/notify`,
      close: () => new Promise((r) => server.close(r)),
    };
  }

  async function mockOrderFor(mockUrl, notifyUrl, no) {
    const xml = wx.buildUnifiedOrderXml(
      {
        appid: APPID,
        mch_id: MCH_ID,
        body: 'retry test',
        out_trade_no: no,
        total_fee: 1,
        spbill_create_ip: '127.0.0.1',
        notify_url: notifyUrl,
        trade_type: 'JSAPI',
        openid: 'o-retry',
      },
      { key: KEY },
    );
    const res = await fetch(`${mockUrl}/pay/unifiedorder`, { method: 'POST', body: xml });
    wx.parseUnifiedOrderResponse(await res.text(), { key: KEY });
  }

  test('merchant answers FAIL twice then SUCCESS: three deliveries, then the retries stop', async () => {
    const merchant = await flakyMerchant(2);
    const no = `RETRY${Date.now()}`;
    await mockOrderFor(mock.url, merchant.url, no);
    await ctl(`/orders/${no}/pay`);
    const m = await waitFor(async () => {
      const x = await mockOrder(no);
      return x.notify_state === 'acknowledged' && x;
    }, 'acknowledged');
    assert.deepEqual(
      m.deliveries.map((d) => [d.attempt, d.ok]),
      [
        [1, false],
        [2, false],
        [3, true],
      ],
    );
    // The next retries would have come 3 ms and 18 ms later; wait well past them.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(merchant.bodies.length, 3);
    assert.equal((await mockOrder(no)).deliveries.length, 3);
    // Every delivery is the same, correctly signed notification (checked with node:crypto).
    for (const b of merchant.bodies) {
      const f = readXml(b);
      assert.equal(f.sign, md5Sign(f));
      assert.equal(f.out_trade_no, no);
    }
    await merchant.close();
  });

  test('a merchant that never acknowledges gets 16 deliveries (WeChat schedule), then the mock gives up', async () => {
    const fast = await startMock(['--time-scale', '0.00001']);
    const merchant = await flakyMerchant(Infinity);
    try {
      const no = `GIVEUP${Date.now()}`;
      await mockOrderFor(fast.url, merchant.url, no);
      await call(fast.url, 'POST', `/_mock/orders/${no}/pay`, {});
      const m = await waitFor(async () => {
        const x = (await call(fast.url, 'GET', `/_mock/orders/${no}`)).body;
        return x.notify_state === 'gave-up' && x;
      }, 'gave-up');
      assert.equal(m.deliveries.length, 16);
      assert.equal(merchant.bodies.length, 16);
    } finally {
      await merchant.close();
      await fast.stop();
    }
  });
});

describe('refund', () => {
  test('refund: PAID → REFUNDING → REFUNDED through the encrypted refund notification', async () => {
    const { out_trade_no: no } = await newOrder(600);
    await ctl(`/orders/${no}/pay`);
    await paid(no);
    const r = await call(shop.url, 'POST', `/orders/${no}/refund`);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    await waitFor(async () => (await order(no)).state === 'REFUNDED', 'REFUNDED');
    const o = await order(no);
    assert.deepEqual(
      o.history.map((h) => `${h.from_state}→${h.to_state}:${h.source}`),
      ['CREATED→PAID:notify', 'PAID→REFUNDING:refund', 'REFUNDING→REFUNDED:refund-notify'],
    );
    assert.equal(o.refunds[0].state, 'SUCCESS');
    const mr = (await call(mock.url, 'GET', `/_mock/refunds/${r.body.out_refund_no}`)).body;
    assert.equal(mr.refund_status, 'SUCCESS');
    assert.equal(mr.notify_state, 'acknowledged');
    // A duplicate refund notification changes nothing; a second refund is refused.
    await ctl(`/refunds/${r.body.out_refund_no}/notify`, { kind: 'duplicate' });
    assert.equal((await order(no)).history.length, 3);
    assert.equal((await call(shop.url, 'POST', `/orders/${no}/refund`)).status, 409);
  });

  test('a refund with no client certificate configured is refused before sending: the order stays PAID', async () => {
    const noCert = await startShop(mock.url, { certFile: undefined, keyFile: undefined });
    try {
      const created = await call(noCert.url, 'POST', '/orders', { openid: 'o1', total_fee: 800 });
      const no = created.body.out_trade_no;
      await ctl(`/orders/${no}/pay`);
      await waitFor(async () => (await call(noCert.url, 'GET', `/orders/${no}`)).body.state === 'PAID', 'PAID');
      const r = await call(noCert.url, 'POST', `/orders/${no}/refund`);
      assert.equal(r.status, 502, JSON.stringify(r.body));
      assert.equal(r.body.code, 'CLIENT_CERT_UNAVAILABLE');
      assert.equal((await call(noCert.url, 'GET', `/orders/${no}`)).body.state, 'PAID');
      // Nothing reached the mock.
      assert.deepEqual((await call(mock.url, 'GET', `/_mock/orders/${no}`)).body.refunds, []);
    } finally {
      await noCert.stop();
    }
  });

  test('a refund WeChat closes returns the order to PAID', async () => {
    const manual = await startMock(['--time-scale', SCALE, '--refund-delay', '-1']);
    const shop2 = await startShop(manual.url);
    try {
      const created = await call(shop2.url, 'POST', '/orders', { openid: 'o1', total_fee: 700 });
      const no = created.body.out_trade_no;
      await call(manual.url, 'POST', `/_mock/orders/${no}/pay`, {});
      await waitFor(async () => (await call(shop2.url, 'GET', `/orders/${no}`)).body.state === 'PAID', 'PAID');
      const r = await call(shop2.url, 'POST', `/orders/${no}/refund`);
      assert.equal((await call(shop2.url, 'GET', `/orders/${no}`)).body.state, 'REFUNDING');
      await call(manual.url, 'POST', `/_mock/refunds/${r.body.out_refund_no}/complete`, { status: 'REFUNDCLOSE' });
      await waitFor(async () => (await call(shop2.url, 'GET', `/orders/${no}`)).body.state === 'PAID', 'back to PAID');
    } finally {
      await shop2.stop();
      await manual.stop();
    }
  });
});

describe('load', () => {
  test('200 concurrent orders paid at once, with duplicates: every order PAID exactly once', async () => {
    const N = 200;
    const created = await Promise.all(Array.from({ length: N }, (_, i) => newOrder(1000 + i)));
    const nos = created.map((c) => c.out_trade_no);
    assert.equal(new Set(nos).size, N);
    const pays = await Promise.all(nos.map((no) => ctl(`/orders/${no}/pay`)));
    assert.ok(pays.every((p) => p.status === 200));
    await Promise.all(nos.map((no) => ctl(`/orders/${no}/notify`, { kind: 'duplicate' })));
    await waitFor(
      async () => (await Promise.all(nos.map((no) => shop.app.db.order(no)))).every((o) => o.state === 'PAID'),
      'all PAID',
    );
    const paidTimes = await shop.app.db.paidTransitions();
    const transitions = nos.map((no) => ({ no, n: paidTimes[no] ?? 0 }));
    assert.ok(
      transitions.every((t) => t.n === 1),
      'each order moved to PAID exactly once',
    );
  });
});

describe('HMAC-SHA256 merchant', () => {
  test('orders, notifications, queries and refunds all signed with HMAC-SHA256', async () => {
    const hshop = await startShop(mock.url, { signType: 'HMAC-SHA256' });
    try {
      const created = await call(hshop.url, 'POST', '/orders', { openid: 'o-hmac', total_fee: 42 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.payment.signType, 'HMAC-SHA256');
      assert.equal(created.body.payment.paySign.length, 64);
      const no = created.body.out_trade_no;
      await ctl(`/orders/${no}/pay`);
      await waitFor(async () => (await call(hshop.url, 'GET', `/orders/${no}`)).body.state === 'PAID', 'PAID');
      const lost = (await call(hshop.url, 'POST', '/orders', { openid: 'o-hmac', total_fee: 43 })).body.out_trade_no;
      await ctl(`/orders/${lost}/pay`, { notify: false });
      await call(hshop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0 });
      assert.equal((await call(hshop.url, 'GET', `/orders/${lost}`)).body.state, 'PAID');
      assert.equal((await call(hshop.url, 'POST', `/orders/${no}/refund`)).status, 202);
      await waitFor(async () => (await call(hshop.url, 'GET', `/orders/${no}`)).body.state === 'REFUNDED', 'REFUNDED');
    } finally {
      await hshop.stop();
    }
  });
});
