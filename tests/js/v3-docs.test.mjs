// Runs the code blocks of docs/guide/v3.md marked `<!-- tested: v3-… -->` against the built
// package (pkg/v3), so the guide a newcomer copies from cannot drift from the API. The
// blocks are joined in order into one async function (their `import … from 'wxpay-wasm/v3'`
// lines become one destructuring of the package); `config`, `fetch` and `markPaid` are
// handed in. `fetch` is a fake WeChat Pay written here with node:crypto: it verifies every
// Authorization header independently and signs every reply with the platform key, so a
// passing test means the guide's code really signs, verifies and decrypts.
import assert from 'node:assert/strict';
import { createCipheriv, createSign, createVerify, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, describe, test } from 'node:test';
import { PUB_KEY_ID, guideConfig } from './support/guide-config.mjs';

const GUIDE = new URL('../../docs/guide/v3.md', import.meta.url);
const ENTRY = new URL('../../pkg/v3/node/index.cjs', import.meta.url);
const FIXTURE = new URL('../fixtures/v3/generated.json', import.meta.url);

// ---------------------------------------------------------------- the guide's blocks

/** The tested blocks, by name, in document order. */
export function testedBlocks(markdown) {
  const blocks = [...markdown.matchAll(/<!-- tested: (v3-[\w-]+) -->\n```js\n([\s\S]*?)\n```/g)].map((m) => ({
    name: m[1],
    code: m[2],
  }));
  const marks = [...markdown.matchAll(/<!-- tested: ([^ ]+) -->/g)].map((m) => m[1]);
  assert.deepEqual(
    blocks.map((b) => b.name),
    marks,
    'every tested mark is followed by a js block',
  );
  return blocks;
}

/** One module body out of the blocks: imports of 'wxpay-wasm/v3' gathered into one line. */
function program(blocks, exportNames) {
  const names = new Set();
  const bodies = blocks.map(
    ({ name, code }) =>
      `// --- ${name}\n${code.replace(/^import \{([^}]+)\} from 'wxpay-wasm\/v3';$/gm, (_, list) => {
        for (const n of list.split(',')) names.add(n.trim());
        return '';
      })}`,
  );
  assert.ok(!bodies.some((b) => /^import /m.test(b)), 'only wxpay-wasm/v3 is imported in tested blocks');
  return `const { ${[...names].join(', ')} } = v3;\n${bodies.join('\n')}\nreturn { ${exportNames.join(', ')} };`;
}

// ---------------------------------------------------------------- keys and the fake WeChat

const { merchant, platform, config } = guideConfig({ notifyBase: 'https://shop.example.com/wxpay/notify' });

/** WeChat's response signature over `TS\nNONCE\nBODY\n`, with a chosen key and serial. */
function signedHeaders(
  body,
  { key = platform.privateKey, serial = PUB_KEY_ID, now = Math.floor(Date.now() / 1000) } = {},
) {
  const ts = String(now);
  const nonce = randomBytes(16).toString('hex');
  return {
    'Wechatpay-Timestamp': ts,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature': createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(key, 'base64'),
  };
}

/** The fake API: what it received (after checking the Authorization header), and tweaks. */
const wechat = { requests: [], tamper: false };

function checkAuthorization(method, url, body, header) {
  const m = header.match(
    /^WECHATPAY2-SHA256-RSA2048 mchid="(\d+)",nonce_str="([^"]+)",timestamp="(\d+)",serial_no="([0-9A-F]+)",signature="([^"]+)"$/,
  );
  assert.ok(m, `Authorization ${header}`);
  const [, mchid, nonce, ts, serial, sig] = m;
  assert.equal(mchid, config.mchid);
  assert.equal(serial, config.serialNo);
  assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 300, 'fresh timestamp');
  const message = `${method}\n${url}\n${ts}\n${nonce}\n${body}\n`;
  assert.ok(
    createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, sig, 'base64'),
    `signature over ${JSON.stringify(message)}`,
  );
}

function route(method, url, body) {
  const path = url.split('?')[0];
  if (method === 'POST' && path === '/v3/pay/transactions/jsapi') {
    if (body.payer.openid === 'INVALID_OPENID')
      return [
        400,
        {
          code: 'PARAM_ERROR',
          message: '参数错误',
          detail: { field: '/payer/openid', issue: 'openid 与 appid 不匹配' },
        },
      ];
    return [200, { prepay_id: `wx${body.out_trade_no}0000000000` }];
  }
  const get = (re) => (method === 'GET' ? path.match(re) : null);
  const byNo = get(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/);
  if (byNo) return [200, { out_trade_no: byNo[1], trade_state: 'SUCCESS', mchid: config.mchid }];
  const byId = get(/^\/v3\/pay\/transactions\/id\/([^/]+)$/);
  if (byId) return [200, { transaction_id: byId[1], trade_state: 'SUCCESS', mchid: config.mchid }];
  if (method === 'POST' && /^\/v3\/pay\/transactions\/out-trade-no\/[^/]+\/close$/.test(path)) return [204, null];
  if (method === 'POST' && path === '/v3/refund/domestic/refunds')
    return [
      200,
      {
        refund_id: '50000000382019052709732678859',
        out_refund_no: body.out_refund_no,
        status: 'PROCESSING',
        amount: body.amount,
      },
    ];
  const refundNo = get(/^\/v3\/refund\/domestic\/refunds\/([^/]+)$/);
  if (refundNo) return [200, { out_refund_no: refundNo[1], status: 'SUCCESS' }];
  return [404, { code: 'RESOURCE_NOT_EXISTS', message: '无可用的平台证书' }];
}

async function fakeFetch(href, init) {
  const u = new URL(href);
  assert.equal(u.origin, 'https://api.mch.weixin.qq.com');
  const url = u.pathname + u.search;
  const raw = init.body ?? '';
  checkAuthorization(init.method, url, raw, init.headers.Authorization);
  const body = raw ? JSON.parse(raw) : undefined;
  wechat.requests.push({ method: init.method, url, body });
  const [status, reply] = route(init.method, url, body);
  const text = reply === null ? '' : JSON.stringify(reply);
  const headers = signedHeaders(text);
  if (wechat.tamper) headers['Wechatpay-Signature'] = signedHeaders(`${text} `)['Wechatpay-Signature'];
  return new Response(status === 204 ? null : text, {
    status,
    headers: { ...headers, 'Content-Type': 'application/json' },
  });
}

/** A callback as WeChat sends it: resource AES-256-GCM encrypted, body signed; lower-case headers. */
function callback(eventType, resource, sign = {}) {
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(config.apiV3Key), Buffer.from(nonce));
  const aad = eventType.startsWith('REFUND') ? 'refund' : 'transaction';
  c.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([c.update(JSON.stringify(resource)), c.final(), c.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2025-01-01T10:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: eventType.startsWith('REFUND') ? '退款成功' : '支付成功',
    resource: { original_type: aad, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: aad, nonce },
  });
  const headers = Object.fromEntries(Object.entries(signedHeaders(body, sign)).map(([k, v]) => [k.toLowerCase(), v]));
  return { body: Buffer.from(body), headers };
}

const paidResource = (outTradeNo, total) => ({
  mchid: config.mchid,
  appid: config.appid,
  out_trade_no: outTradeNo,
  transaction_id: '4200000000202501011234567890',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  attach: '',
  success_time: '2025-01-01T10:00:00+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
});

// ---------------------------------------------------------------- the tests

const built = existsSync(ENTRY);
const hasV3 = existsSync(new URL('../../src/wasm/v3.rs', import.meta.url));

describe('docs/guide/v3.md code blocks, run against pkg/v3', {
  skip: !built && !hasV3 && 'this tree has no v3 entry yet',
}, () => {
  let g;
  let v3;
  const paid = [];

  before(async () => {
    assert.ok(built, 'pkg/v3 is built (node scripts/build-pkg.mjs)');
    v3 = createRequire(import.meta.url)(ENTRY.pathname);
    const blocks = testedBlocks(readFileSync(GUIDE, 'utf8'));
    assert.deepEqual(
      blocks.map((b) => b.name),
      ['v3-setup', 'v3-call', 'v3-jsapi', 'v3-notify', 'v3-refund', 'v3-query', 'v3-errors'],
    );
    const names = [
      'privateKey',
      'callWechatPay',
      'createMiniProgramPayment',
      'handlePaymentNotify',
      'refund',
      'refundStatus',
      'byOurs',
      'byTheirs',
      'close',
      'payOrExplain',
    ];
    const AsyncFunction = (async () => {}).constructor;
    const run = new AsyncFunction('v3', 'config', 'fetch', 'markPaid', 'console', program(blocks, names));
    const quiet = { ...console, warn: () => {} };
    g = await run(
      v3,
      config,
      fakeFetch,
      async (order, transactionId) => {
        paid.push([order.outTradeNo, transactionId]);
      },
      quiet,
    );
  });

  test('v3-setup: the key object does not print its material', () => {
    assert.ok(!String(g.privateKey).includes('PRIVATE'));
    assert.ok(!JSON.stringify({ k: g.privateKey }).includes('MII'));
  });

  test('v3-jsapi: the order reaches WeChat signed, and paySign verifies with node:crypto', async () => {
    wechat.requests.length = 0;
    const p = await g.createMiniProgramPayment({
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      outTradeNo: 'T20250101-001',
      total: 1,
      description: '小程序 测试商品',
    });
    const [req] = wechat.requests;
    assert.equal(req.url, '/v3/pay/transactions/jsapi');
    assert.equal(req.body.notify_url, `${config.notifyBase}/T20250101-001`);
    assert.deepEqual(req.body.amount, { total: 1, currency: 'CNY' });
    assert.equal(p.package, 'prepay_id=wxT20250101-0010000000000');
    assert.equal(p.signType, 'RSA');
    assert.equal(p.appId, config.appid);
    const message = `${config.appid}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    assert.ok(createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, p.paySign, 'base64'));
  });

  test('v3-call: a reply whose signature does not match is refused (SIGN_MISMATCH)', async () => {
    wechat.tamper = true;
    try {
      await assert.rejects(
        g.createMiniProgramPayment({ openid: 'o1', outTradeNo: 'T20250101-002', total: 1, description: 'x' }),
        (e) => e.code === 'SIGN_MISMATCH',
      );
    } finally {
      wechat.tamper = false;
    }
  });

  test('v3-errors: a WeChat error reply becomes a WxPayError the caller can show', async () => {
    const r = await g.payOrExplain({
      openid: 'INVALID_OPENID',
      outTradeNo: 'T20250101-003',
      total: 1,
      description: 'x',
    });
    assert.equal(r.error, 'PARAM_ERROR');
    assert.match(r.message, /参数错误/, "WeChat's message reaches the caller");
    assert.equal(r.retry, false);
    // The fields the guide's §8 names, on the error callWechatPay throws.
    const e = await g
      .callWechatPay(
        await v3.buildJsapiOrder({
          appid: config.appid,
          mchid: config.mchid,
          description: 'x',
          out_trade_no: 'T20250101-005',
          notify_url: `${config.notifyBase}/T20250101-005`,
          amount: { total: 1 },
          payer: { openid: 'INVALID_OPENID' },
        }),
      )
      .catch((x) => x);
    assert.ok(e instanceof v3.WxPayError);
    assert.deepEqual(
      [e.code, e.errCode, e.errMessage, e.httpStatus, JSON.parse(e.detail).field, e.field, e.retryable],
      ['RESULT_FAIL', 'PARAM_ERROR', '参数错误', '400', '/payer/openid', '/payer/openid', false],
    );
    // And a field the builder refuses never reaches WeChat: our own code, naming the field.
    const before = wechat.requests.length;
    const bad = await g.payOrExplain({ openid: 'o1', outTradeNo: 'T20250101-004', total: 0, description: 'x' });
    assert.equal(bad.error, 'INVALID_FIELD');
    assert.match(bad.message, /amount\.total/);
    assert.equal(wechat.requests.length, before);
  });

  test('v3-notify: a genuine callback is recorded and answered 200/204', async () => {
    const order = { outTradeNo: 'T20250101-001', total: 1 };
    const cb = callback('TRANSACTION.SUCCESS', paidResource(order.outTradeNo, 1));
    paid.length = 0;
    const reply = await g.handlePaymentNotify(cb.body, cb.headers, order);
    assert.ok(reply.status === 200 || reply.status === 204, `status ${reply.status}`);
    assert.deepEqual(paid, [['T20250101-001', '4200000000202501011234567890']]);
  });

  test('v3-notify: a changed body, another order, another amount and an old timestamp are refused with FAIL', async () => {
    const order = { outTradeNo: 'T20250101-001', total: 1 };
    const good = callback('TRANSACTION.SUCCESS', paidResource(order.outTradeNo, 1));
    const cases = [
      [{ ...good, body: Buffer.from(good.body.toString().replace('支付成功', '支付失败')) }, order],
      [good, { outTradeNo: 'T20250101-999', total: 1 }],
      [good, { outTradeNo: 'T20250101-001', total: 100 }],
      [
        callback('TRANSACTION.SUCCESS', paidResource(order.outTradeNo, 1), {
          now: Math.floor(Date.now() / 1000) - 301,
        }),
        order,
      ],
    ];
    paid.length = 0;
    for (const [cb, o] of cases) {
      const reply = await g.handlePaymentNotify(cb.body, cb.headers, o);
      assert.ok(reply.status >= 400 && reply.status < 600, `status ${reply.status}`);
      assert.equal(JSON.parse(reply.body).code, 'FAIL');
    }
    assert.deepEqual(paid, []);
  });

  test('§1 migration: one publicKeys map verifies certificate-signed and public-key-signed callbacks', async () => {
    const f = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const cert = f.certificates.platform;
    const certKey = f.keys[cert.key].private_pkcs8;
    const publicKeys = { ...config.publicKeys, [cert.serial]: cert.pem };
    const resource = paidResource('T20250101-001', 1);
    for (const sign of [{}, { key: certKey, serial: cert.serial }]) {
      const cb = callback('TRANSACTION.SUCCESS', resource, sign);
      const event = await v3.verifyNotify(cb.body, cb.headers, { apiV3Key: config.apiV3Key, publicKeys });
      assert.deepEqual(event.resource, resource);
    }
    // The certificate's key under the public key's id is refused.
    const swapped = callback('TRANSACTION.SUCCESS', resource, { key: certKey, serial: PUB_KEY_ID });
    await assert.rejects(
      v3.verifyNotify(swapped.body, swapped.headers, { apiV3Key: config.apiV3Key, publicKeys }),
      (e) => e.code === 'SIGN_MISMATCH',
    );
  });

  test('§6 refund: request signed and sent; a REFUND.SUCCESS callback verifies with mchId, paid false', async () => {
    wechat.requests.length = 0;
    const r = await g.refund({
      outTradeNo: 'T20250101-001',
      outRefundNo: 'R20250101-001',
      refund: 1,
      total: 1,
      reason: '商品已售完',
    });
    assert.equal(r.status, 'PROCESSING');
    assert.deepEqual(wechat.requests[0].body.amount, { refund: 1, total: 1, currency: 'CNY' });
    assert.equal((await g.refundStatus('R20250101-001')).status, 'SUCCESS');
    assert.equal(wechat.requests[1].url, '/v3/refund/domestic/refunds/R20250101-001');
    const resource = {
      mchid: config.mchid,
      out_trade_no: 'T20250101-001',
      transaction_id: '4200000000202501011234567890',
      out_refund_no: 'R20250101-001',
      refund_id: '50000000382019052709732678859',
      refund_status: 'SUCCESS',
      success_time: '2025-01-01T11:00:00+08:00',
      user_received_account: '招商银行信用卡0403',
      amount: { total: 1, refund: 1, payer_total: 1, payer_refund: 1 },
    };
    const cb = callback('REFUND.SUCCESS', resource);
    const event = await v3.verifyNotify(cb.body, cb.headers, {
      apiV3Key: config.apiV3Key,
      publicKeys: config.publicKeys,
      mchId: config.mchid,
      outTradeNo: 'T20250101-001',
    });
    assert.equal(event.paid, false);
    assert.deepEqual(event.resource, resource);
  });

  test('§7 query and close: the URLs WeChat documents, a 204 close gives null', async () => {
    wechat.requests.length = 0;
    assert.equal((await g.byOurs('T20250101-001')).trade_state, 'SUCCESS');
    assert.equal((await g.byTheirs('4200000000202501011234567890')).trade_state, 'SUCCESS');
    assert.equal(await g.close('T20250101-001'), null);
    assert.deepEqual(
      wechat.requests.map((r) => `${r.method} ${r.url}`),
      [
        'GET /v3/pay/transactions/out-trade-no/T20250101-001?mchid=1900009191',
        'GET /v3/pay/transactions/id/4200000000202501011234567890?mchid=1900009191',
        'POST /v3/pay/transactions/out-trade-no/T20250101-001/close',
      ],
    );
    assert.deepEqual(wechat.requests[2].body, { mchid: config.mchid });
  });
});
