// The notify handler checks the order (issue 26), in every runtime, through the fetch-style
// call shape (Request → Response, which every runtime of the matrix has): a validly signed
// notification of another amount is refused and onPaid not called, the right one after it
// is accepted once, an unknown order is answered so that WeChat retries, a handler without
// findOrder cannot be created, every invalid option fails at creation, every refusal reaches
// onRefused with no secret in it. The WeChat side is independent of the package: v2 signed
// with reference.mjs (MD5 and HMAC-SHA256 in JavaScript), v3 signed (RSASSA-PKCS1-v1_5) and
// encrypted (AES-256-GCM) with crypto.subtle and the keys of tests/fixtures/v3/generated.json.
import { assert } from '../harness.mjs';
import { GENERATED as G, fromBase64, referenceSign } from './reference.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const APPID = 'wxd930ea5d5a258f4f';
const MCH = G.mchid;
const ORDERS = { P100: 100, P200: 200, P300: 300, BIG: Number.MAX_SAFE_INTEGER };
const findOrder = (no) => (no in ORDERS ? { total: ORDERS[no] } : null);
const noNet = () => {
  throw new TypeError('no network in this suite');
};
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const hexOf = (n) =>
  [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
const derOf = (pem) => fromBase64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

/** A v2 payment notification for `no` stating `fee`, signed by the reference. */
function v2Notify(no, fee, type = 'MD5') {
  const f = {
    appid: APPID,
    mch_id: MCH,
    nonce_str: hexOf(8),
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
  return xmlOf({ ...f, sign: referenceSign(f, KEY, type) });
}

let signer = null;
/** A v3 callback: the resource sealed with AES-256-GCM and the body signed, both with crypto.subtle (amounts as JSON text). */
async function v3Callback(no, total) {
  const plain = `{"mchid":"${MCH}","appid":"${APPID}","out_trade_no":"${no}","transaction_id":"42000${no}","trade_type":"JSAPI","trade_state":"SUCCESS","trade_state_desc":"ok","bank_type":"OTHERS","attach":"","success_time":"2026-12-03T12:00:00+08:00","payer":{"openid":"o1"},"amount":{"total":${total},"payer_total":${total},"currency":"CNY","payer_currency":"CNY"}}`;
  const nonce = hexOf(6);
  const enc = new TextEncoder();
  const aes = await crypto.subtle.importKey('raw', enc.encode(G.api_v3_key), 'AES-GCM', false, ['encrypt']);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: enc.encode(nonce), additionalData: enc.encode('transaction'), tagLength: 128 },
    aes,
    enc.encode(plain),
  );
  const body = JSON.stringify({
    id: hexOf(8),
    create_time: '2026-12-03T12:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: 's',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: b64(sealed),
      associated_data: 'transaction',
      nonce,
    },
  });
  signer ??= await crypto.subtle.importKey(
    'pkcs8',
    derOf(G.keys.pubkey.private_pkcs8),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const ts = String(Math.floor(Date.now() / 1000));
  const hn = hexOf(16);
  const sig = b64(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', signer, enc.encode(`${ts}\n${hn}\n${body}\n`)));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': ts,
      'wechatpay-nonce': hn,
      'wechatpay-signature': sig,
      'wechatpay-serial': G.pub_key_id,
    },
  };
}

const post = (body, headers = {}) => new Request('https://merchant.example/notify', { method: 'POST', body, headers });

export default function notify(test, { wx, v3 }) {
  const client2 = wx.createClient({ appid: APPID, mchId: MCH, key: KEY, fetch: noNet });
  const client3 = v3.createClient({
    appid: APPID,
    mchId: MCH,
    serialNo: G.certificates.merchant.serial,
    privateKey: G.keys.merchant.private_pkcs8,
    apiV3Key: G.api_v3_key,
    publicKeys: { [G.pub_key_id]: G.keys.pubkey.public_spki },
    fetch: noNet,
  });

  /** A handler recording onPaid and onRefused; `noSecret(...values)` asserts no report carries the keys or these values. */
  function recorder(client, extra = {}) {
    const paid = [];
    const refused = [];
    const handler = client.createNotifyHandler({
      findOrder,
      onPaid: (n) => {
        paid.push(n.out_trade_no ?? n.resource.out_trade_no);
      },
      onRefused: (r) => {
        refused.push(r);
      },
      ...extra,
    });
    const noSecret = (...values) => {
      const text = JSON.stringify(refused);
      for (const v of [KEY, G.api_v3_key, ...values])
        assert.ok(!text.includes(v), `a report carries ${v.slice(0, 40)}`);
      for (const r of refused)
        assert.deepEqual(
          Object.keys(r).filter((k) => !['code', 'reason', 'serial', 'outTradeNo'].includes(k)),
          [],
        );
    };
    return { handler, paid, refused, noSecret };
  }

  test('v2: a validly signed notification of another amount is refused, onPaid not called; the right one is accepted once', async () => {
    for (const type of ['MD5', 'HMAC-SHA256']) {
      // WeChat signs a notification as the order was signed: the client's signType.
      const r = recorder(
        type === 'MD5'
          ? client2
          : wx.createClient({ appid: APPID, mchId: MCH, key: KEY, signType: type, fetch: noNet }),
      );
      const wrong = v2Notify('P100', 1, type);
      const a = await r.handler(post(wrong));
      assert.equal(a.status, 400);
      assert.match(await a.text(), /FAIL/);
      assert.deepEqual(r.paid, []);
      const right = v2Notify('P100', 100, type);
      for (let i = 0; i < 2; i++) {
        const ok = await r.handler(post(right));
        assert.equal(ok.status, 200);
        assert.match(await ok.text(), /SUCCESS/);
      }
      assert.deepEqual(r.paid, ['P100']);
      const unknown = await r.handler(post(v2Notify('P999', 100, type)));
      assert.equal(unknown.status, 500, 'an unknown order: FAIL, WeChat retries');
      assert.deepEqual(
        r.refused.map((x) => [x.code, x.outTradeNo]),
        [
          ['AMOUNT_MISMATCH', 'P100'],
          ['OUT_TRADE_NO_MISMATCH', 'P999'],
        ],
      );
      r.noSecret(wrong, /<sign><!\[CDATA\[(\w+)/.exec(wrong)[1], /<nonce_str><!\[CDATA\[(\w+)/.exec(wrong)[1]);
    }
  });

  test('v2: forged, consumed body, declared oversize body, onPaid throwing: each reported with its code and no secret; a good call after each', async () => {
    let fail = false;
    const r = recorder(client2, {
      maxBytes: 2048,
      onPaid: (n) => {
        if (fail) throw new Error(`cannot save ${KEY}`);
        r.paid.push(n.out_trade_no);
      },
    });
    const good = () => r.handler(post(v2Notify('P200', 200)));
    const forged = v2Notify('P200', 200).replace(
      /<sign><!\[CDATA\[\w+/,
      '<sign><![CDATA[0123456789ABCDEF0123456789ABCDEF',
    );
    assert.equal((await r.handler(post(forged))).status, 400);
    assert.equal((await good()).status, 200);
    const used = post(v2Notify('P200', 200));
    await used.text(); // what a body parser mounted before the handler does
    assert.equal((await r.handler(used)).status, 400);
    assert.equal((await good()).status, 200);
    // The Fastify shape with a declared Content-Length above maxBytes: refused before the stream is touched.
    let touched = false;
    const stream = {
      [Symbol.asyncIterator]() {
        touched = true;
        throw new Error('read');
      },
    };
    const reply = {
      code(s) {
        this.statusCode = s;
        return this;
      },
      headers(h) {
        this.hdrs = h;
        return this;
      },
      send(b) {
        this.payload = b;
        return this;
      },
    };
    await r.handler({ raw: stream, headers: { 'content-length': '1000000' } }, reply);
    assert.deepEqual([reply.statusCode, touched], [413, false]);
    assert.equal((await r.handler(post(`<xml>${'x'.repeat(4096)}</xml>`))).status, 413);
    fail = true; // P200 is settled (answered without onPaid); P100 is not
    assert.equal((await r.handler(post(v2Notify('P100', 100)))).status, 500);
    fail = false;
    assert.equal((await r.handler(post(v2Notify('P100', 100)))).status, 200);
    assert.deepEqual(r.paid, ['P200', 'P100']);
    assert.deepEqual(
      r.refused.map((x) => x.code),
      ['SIGN_MISMATCH', 'BODY_UNREADABLE', 'INPUT_TOO_LARGE', 'INPUT_TOO_LARGE', 'HANDLER_FAILED'],
    );
    assert.match(r.refused[1].reason, /already read by another middleware/);
    r.noSecret(forged, 'cannot save');
  });

  test('creation: no findOrder, and every invalid option, throw INVALID_PARAM now (v2 and v3)', () => {
    const base = { onPaid() {}, findOrder };
    for (const client of [client2, client3]) {
      assert.throws(
        () => client.createNotifyHandler({ onPaid() {} }),
        (e) => e.code === 'INVALID_PARAM' && e.field === 'findOrder',
      );
      const bad = [
        ['findOrder', [null, 'db']],
        ['onRefused', [1]],
        ['maxBytes', [0, 1.5, Infinity]],
        ['dedupeSize', [0]],
        ['readTimeoutMs', [0, -1, 1.5, Infinity, 120001]],
      ];
      for (const [name, values] of bad) {
        for (const v of values)
          assert.throws(
            () => client.createNotifyHandler({ ...base, [name]: v }),
            (e) => e.code === 'INVALID_PARAM' && e.field === name,
            `${name}: ${String(v)}`,
          );
      }
      assert.throws(
        () => client.createNotifyHandler({ ...base, onRefuse() {} }),
        (e) => e.code === 'INVALID_PARAM' && /onRefused/.test(e.message),
      );
      assert.equal(typeof client.createNotifyHandler({ ...base, findOrder: false }), 'function');
    }
    for (const v of [86400, -1, 1.5, Infinity])
      assert.throws(
        () => client3.createNotifyHandler({ ...base, maxSkewSeconds: v }),
        (e) => e.code === 'INVALID_PARAM' && e.field === 'maxSkewSeconds',
        String(v),
      );
    assert.equal(typeof client3.createNotifyHandler({ ...base, maxSkewSeconds: 3600 }), 'function');
  });

  test('v3: a callback of another amount (and one above 2^53) is refused, onPaid not called; the right one is accepted once', async () => {
    const r = recorder(client3);
    const wrong = await v3Callback('P300', 1);
    const a = await r.handler(post(wrong.body, wrong.headers));
    assert.equal(a.status, 401);
    assert.equal((await a.json()).code, 'FAIL');
    const big = await v3Callback('BIG', '9007199254740993');
    assert.equal((await r.handler(post(big.body, big.headers))).status, 401);
    assert.deepEqual(r.paid, []);
    const right = await v3Callback('P300', 300);
    assert.equal((await r.handler(post(right.body, right.headers))).status, 204);
    assert.equal((await r.handler(post(right.body, right.headers))).status, 204);
    assert.deepEqual(r.paid, ['P300']);
    const unknown = await v3Callback('P999', 300);
    assert.equal((await r.handler(post(unknown.body, unknown.headers))).status, 500);
    const tampered = await v3Callback('P300', 300);
    assert.equal(
      (await r.handler(post(tampered.body.replace('"summary":"s"', '"summary":"t"'), tampered.headers))).status,
      401,
    );
    assert.deepEqual(
      r.refused.map((x) => [x.code, x.outTradeNo]),
      [
        ['AMOUNT_MISMATCH', 'P300'],
        ['INVALID_JSON', undefined], // 2^53+1: refused by the core before any comparison (issue 26)
        ['OUT_TRADE_NO_MISMATCH', 'P999'],
        ['SIGN_MISMATCH', undefined],
      ],
    );
    assert.ok(r.refused.every((x) => x.serial === G.pub_key_id));
    r.noSecret(
      ...[wrong, tampered].flatMap((cb) => [cb.body, cb.headers['wechatpay-signature'], cb.headers['wechatpay-nonce']]),
    );
  });
}
