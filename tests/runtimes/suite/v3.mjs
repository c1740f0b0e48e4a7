// wxpay-wasm/v3 against the v3 vectors (moved from tests/js/v3-vectors.test.mjs to run in
// every runtime): tests/fixtures/v3/official.json (data from the official SDKs' test suites,
// sources inside) and generated.json (Python `cryptography`, scripts/gen-v3-vectors.py).
// Expected values are the fixtures'; signatures we make are also checked with crypto.subtle
// (RSA PKCS#1 v1.5 is deterministic, so they must also be equal).
import { assert } from '../harness.mjs';
import {
  CERTS as C,
  GENERATED as G,
  OFFICIAL as O,
  fromBase64,
  gcmSeal,
  oaepDecrypt,
  parseAuthorization,
  rsaSign,
  rsaVerify,
} from './reference.mjs';

export default function v3vectors(test, { v3 }) {
  const keys = G.keys;
  const certs = G.certificates;
  /** Every key by the serial the generated fixture signs under. */
  const publicKeys = {
    [certs.platform.serial]: certs.platform.pem,
    [certs.platform2.serial]: certs.platform2.pem,
    [G.pub_key_id]: keys.pubkey.public_spki,
  };
  const headersOf = (pairs) => Object.fromEntries(pairs);

  test('authorization: every generated vector, PKCS#8 and PKCS#1 keys, header byte for byte', async () => {
    for (const pem of [keys.merchant.private_pkcs8, keys.merchant.private_pkcs1]) {
      for (const a of G.authorization) {
        const header = await v3.authorization({
          mchId: G.mchid,
          serialNo: certs.merchant.serial,
          privateKey: pem,
          method: a.method,
          url: a.url,
          body: a.body,
          timestamp: a.timestamp,
          nonce: a.nonce,
        });
        assert.equal(header, a.header, `${a.method} ${a.url}`);
        assert.ok(await rsaVerify(keys.merchant.public_spki, a.message, parseAuthorization(header).signature));
      }
    }
  });

  test('authorization with an importPrivateKey() object equals the PEM form', async () => {
    const key = await v3.importPrivateKey(keys.merchant.private_pkcs1);
    const a = G.authorization[0];
    const header = await v3.authorization({
      mchId: G.mchid,
      serialNo: certs.merchant.serial,
      privateKey: key,
      method: a.method,
      url: a.url,
      body: a.body,
      timestamp: Number(a.timestamp),
      nonce: a.nonce,
    });
    assert.equal(header, a.header);
    assert.equal(String(key), '[wxpay-wasm PrivateKey]');
    assert.equal(JSON.stringify({ key }), '{"key":"[wxpay-wasm PrivateKey]"}');
  });

  test('verifySignature: generated responses (certificate and public-key modes), as given and lower-cased', async () => {
    for (const r of G.responses) {
      for (const headers of [
        headersOf(r.headers),
        Object.fromEntries(r.headers.map(([k, v]) => [k.toLowerCase(), v])),
        new Headers(r.headers),
      ]) {
        const got = await v3.verifySignature(r.body, headers, { publicKeys, now: G.now });
        assert.deepEqual(got, { serial: r.serial, timestamp: r.timestamp });
        // A Uint8Array body: the same bytes (a Node Buffer: its own test below).
        await v3.verifySignature(new TextEncoder().encode(r.body), headers, { publicKeys, now: G.now });
      }
    }
  });

  test('verifyNotify: generated callbacks decrypt, check their expectations and report paid', async () => {
    for (const c of G.callbacks) {
      const n = await v3.verifyNotify(c.body, headersOf(c.headers), {
        apiV3Key: G.api_v3_key,
        publicKeys,
        now: G.now,
        appid: c.expect.appid,
        mchId: c.expect.mchid,
        outTradeNo: c.expect.out_trade_no,
        ...(c.expect.total === undefined ? {} : { total: c.expect.total }),
      });
      assert.deepEqual(n.resource, JSON.parse(c.plaintext));
      assert.equal(n.event_type, c.event_type);
      assert.equal(n.paid, c.paid);
      const outer = JSON.parse(c.body);
      assert.equal(n.id, outer.id);
      assert.equal(n.summary, outer.summary);
    }
  });

  test('decryptResource: generated AEAD vectors and the official Java SDK vector', async () => {
    for (const a of G.aead) {
      const plain = await v3.decryptResource(
        { algorithm: 'AEAD_AES_256_GCM', ciphertext: a.ciphertext, nonce: a.nonce, associated_data: a.associated_data },
        a.key,
      );
      assert.equal(plain, a.plaintext);
    }
    const j = O.java_aead;
    assert.equal(
      await v3.decryptResource(
        { algorithm: 'AEAD_AES_256_GCM', ciphertext: j.ciphertext, nonce: j.nonce, associated_data: j.associated_data },
        j.key,
      ),
      j.plaintext,
    );
    await assert.rejects(
      v3.decryptResource(
        {
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: j.ciphertext,
          nonce: j.bad_nonce,
          associated_data: j.associated_data,
        },
        j.key,
      ),
      { code: 'DECRYPT_FAILED' },
    );
    await assert.rejects(
      v3.decryptResource(
        {
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: j.ciphertext,
          nonce: j.nonce,
          associated_data: j.bad_associated_data,
        },
        j.key,
      ),
      { code: 'DECRYPT_FAILED' },
    );
  });

  test('parseCertificates: the generated /v3/certificates response and the official Java SDK one', async () => {
    const got = await v3.parseCertificates(G.certificates_response.body, G.api_v3_key);
    assert.deepEqual(Object.keys(got).sort(), G.certificates_response.certs.map((c) => c.serial).sort());
    for (const want of G.certificates_response.certs) {
      const serial = want.serial;
      assert.equal(got[serial].pem.trim(), want.pem.trim());
      assert.equal(got[serial].effectiveTime, want.effective_time);
      assert.equal(got[serial].expireTime, want.expire_time);
    }
    const j = O.java_certificates;
    const official = await v3.parseCertificates(j.body, j.api_v3_key);
    assert.equal(official[j.serial].effectiveTime, j.effective_time);
    assert.equal(official[j.serial].expireTime, j.expire_time);
    // The decrypted certificate works as a verification key (its serial is the map key).
    assert.equal(official[j.serial].pem.trim(), j.derived.certificate_pem.trim());
    // A serial_no that is not the certificate's own serial is refused.
    await assert.rejects(v3.parseCertificates(G.certificates_response_serial_mismatch, G.api_v3_key), {
      code: 'INVALID_FIELD',
    });
  });

  test('requestPaymentParams: generated paySign vectors', async () => {
    for (const p of G.pay_sign) {
      const got = await v3.requestPaymentParams({
        appId: p.app_id,
        prepayId: p.package.slice('prepay_id='.length),
        privateKey: keys.merchant.private_pkcs8,
        timeStamp: p.time_stamp,
        nonceStr: p.nonce_str,
      });
      assert.deepEqual(got, {
        appId: p.app_id,
        timeStamp: p.time_stamp,
        nonceStr: p.nonce_str,
        package: p.package,
        signType: 'RSA',
        paySign: p.pay_sign,
      });
    }
  });

  test('decryptSensitive: generated OAEP vectors; encryptSensitive round-trips through crypto.subtle', async () => {
    for (const o of G.oaep) {
      assert.equal(await v3.decryptSensitive(o.ciphertext, keys[o.key].private_pkcs8), o.plaintext);
      const c = await v3.encryptSensitive(o.plaintext, keys[o.key].public_spki);
      assert.equal(await oaepDecrypt(keys[o.key].private_pkcs8, c), o.plaintext);
    }
  });

  test('official wechatpay-go vectors: the signer signature, the verifier in both modes', async () => {
    const g = O.go_signer;
    const header = await v3.authorization({
      mchId: '1',
      serialNo: g.certificate_serial,
      privateKey: g.private_key_pem,
      method: 'GET',
      url: '/v3/certificates',
      timestamp: '1',
      nonce: 'n',
    });
    // Our signature with the SDK's key verifies (crypto.subtle) with its certificate and its public key.
    for (const pem of [g.certificate_pem, g.public_key_pem]) {
      assert.ok(await rsaVerify(pem, 'GET\n/v3/certificates\n1\nn\n\n', parseAuthorization(header).signature));
    }
    // The SDK's signed callback verifies with its certificate (its 16-byte APIv3 key is not
    // WeChat's 32-byte one, so only the signature is checked here).
    const n = O.go_notify;
    const got = await v3.verifySignature(n.body, n.headers, {
      publicKeys: { [n.certificate_serial]: n.certificate_pem },
      now: Number(n.now),
    });
    assert.equal(got.serial, n.certificate_serial);
  });

  test('official wechatpay-java keys: the merchant key signs what its certificate verifies; the platform certificate and public key are one key', async () => {
    const k = O.java_keys;
    const header = await v3.authorization({
      mchId: '1900000109',
      serialNo: k.merchant_certificate_serial,
      privateKey: k.merchant_private_key_pem,
      method: 'POST',
      url: '/v3/pay/transactions/jsapi',
      body: '{"a":1}',
      timestamp: '1700000000',
      nonce: 'N1',
    });
    const f = parseAuthorization(header);
    assert.equal(f.serial_no, k.merchant_certificate_serial);
    assert.ok(
      await rsaVerify(
        k.merchant_certificate_pem,
        'POST\n/v3/pay/transactions/jsapi\n1700000000\nN1\n{"a":1}\n',
        f.signature,
      ),
    );
    // A sensitive field encrypted to the certificate decrypts... only with the platform's
    // private key, which the SDK does not publish; so encrypt to both forms and check both
    // ciphertexts have the key's size (the round trip is covered by the generated keys).
    for (const pem of [k.platform_certificate_pem, k.platform_public_key_pem]) {
      assert.equal(fromBase64(await v3.encryptSensitive('张三', pem)).length, 256);
    }
  });

  test('verifySignature: a Node Buffer body is the same bytes', async (t) => {
    if (typeof globalThis.Buffer !== 'function')
      return t.skip('this runtime has no global Buffer (Node, Bun and Deno have one)');
    for (const r of G.responses) {
      assert.deepEqual(
        await v3.verifySignature(globalThis.Buffer.from(r.body), headersOf(r.headers), { publicKeys, now: G.now }),
        { serial: r.serial, timestamp: r.timestamp },
      );
    }
  });
  // Issue 26: certificates used only under their own serial and within their validity
  // (300 s allowed), integers beyond ±(2^53−1) refused. Certificates by Python `cryptography`
  // (tests/fixtures/v3/certs.json, all with the generated platform key); callbacks signed and
  // sealed here with crypto.subtle. Each refusal is followed by a good call.
  const certKey = G.keys[C.key].private_pkcs8;
  async function signedCallback(serial, plain, now = C.now, eventType = 'TRANSACTION.SUCCESS') {
    const nonce = 'a1b2c3d4e5f6';
    const resource = {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: await gcmSeal(G.api_v3_key, nonce, 'transaction', plain),
      nonce,
      associated_data: 'transaction',
    };
    const body = JSON.stringify({
      id: 'EV-26',
      create_time: '2025-01-01T08:00:00+08:00',
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: '支付成功',
      resource,
    });
    const headers = {
      'Wechatpay-Timestamp': String(now),
      'Wechatpay-Nonce': 'n26',
      'Wechatpay-Signature': await rsaSign(certKey, `${now}\nn26\n${body}\n`),
      'Wechatpay-Serial': serial,
    };
    return { body, headers };
  }
  const paidText = (total = '100') =>
    `{"mchid":"${G.mchid}","appid":"${G.appid}","out_trade_no":"T26","trade_state":"SUCCESS","amount":{"total":${total},"payer_total":${total},"currency":"CNY"}}`;
  const good = C.certificates.valid;
  async function goodCall() {
    const { body, headers } = await signedCallback(good.serial, paidText());
    const opts = { apiV3Key: G.api_v3_key, publicKeys: { [good.serial]: good.pem }, now: C.now };
    assert.equal((await v3.verifyNotify(body, headers, opts)).paid, true);
  }

  test('certificates: verified within their validity ± 300 s, under their serial in any spelling', async () => {
    for (const [name, serial] of [
      ['valid', good.serial.toLowerCase()],
      ['short', '0A1B'],
      ['zero_nibble', 'C95E9'],
      ['ended_within_allowance', '4D01'],
      ['starts_within_allowance', '4D03'],
    ]) {
      const { body, headers } = await signedCallback(serial, paidText());
      const opts = { apiV3Key: G.api_v3_key, publicKeys: { [serial]: C.certificates[name].pem }, now: C.now };
      assert.equal((await v3.verifyNotify(body, headers, opts)).paid, true, name);
    }
  });

  test('certificates: expired or not yet valid is CERT_EXPIRED, then a good call works', async () => {
    for (const [name, word] of [
      ['expired', /expired/],
      ['not_yet', /not valid yet/],
      ['ended_beyond_allowance', /expired/],
      ['starts_beyond_allowance', /not valid yet/],
    ]) {
      const c = C.certificates[name];
      const { body, headers } = await signedCallback(c.serial, paidText());
      const publicKeys = { [c.serial]: c.pem };
      await assert.rejects(v3.verifyNotify(body, headers, { apiV3Key: G.api_v3_key, publicKeys, now: C.now }), {
        code: 'CERT_EXPIRED',
        field: 'Wechatpay-Serial',
        message: word,
      });
      await assert.rejects(v3.verifySignature(body, headers, { publicKeys, now: C.now }), { code: 'CERT_EXPIRED' });
      await goodCall();
    }
  });

  test('certificates: one filed under another serial (or a PUB_KEY_ID_) is INVALID_PARAM when given, then a good call works', async () => {
    const { body, headers } = await signedCallback(good.serial, paidText());
    for (const publicKeys of [
      { [good.serial]: good.pem, A1B: C.certificates.zero_nibble.pem },
      { [good.serial]: good.pem, [G.pub_key_id]: C.certificates.short.pem },
    ]) {
      await assert.rejects(v3.verifyNotify(body, headers, { apiV3Key: G.api_v3_key, publicKeys, now: C.now }), {
        code: 'INVALID_PARAM',
        field: 'publicKeys',
      });
      await assert.rejects(v3.verifySignature(body, {}, { publicKeys, now: C.now }), { code: 'INVALID_PARAM' });
      await goodCall();
    }
  });

  test('amounts: 2^53+1 in amount.total is INVALID_JSON (not rounded), 2^53−1 is exact', async () => {
    const opts = { apiV3Key: G.api_v3_key, publicKeys: { [good.serial]: good.pem }, now: C.now };
    for (const total of ['9007199254740993', '-9007199254740993', '100000000000000000000']) {
      const { body, headers } = await signedCallback(good.serial, paidText(total));
      await assert.rejects(v3.verifyNotify(body, headers, opts), { code: 'INVALID_JSON', message: /MAX_SAFE_INTEGER/ });
      await goodCall();
    }
    const { body, headers } = await signedCallback(good.serial, paidText('9007199254740991'));
    const n = await v3.verifyNotify(body, headers, opts);
    assert.equal(n.resource.amount.total, 9007199254740991);
  });

  // Issue 27: every callback family through one verifier, each compared on its own fields
  // (partner sp_mchid, combine combine_mchid, transfer mchid, none for complaints).
  test('event families: each verified and decrypted as sent; another partner or transfer merchant is MCH_ID_MISMATCH', async () => {
    const opts = {
      apiV3Key: G.api_v3_key,
      publicKeys: { [good.serial]: good.pem },
      now: C.now,
      appid: G.appid,
      mchId: G.mchid,
    };
    const M = G.mchid;
    const families = [
      [
        'TRANSACTION.SUCCESS',
        {
          sp_appid: G.appid,
          sp_mchid: M,
          sub_appid: 'wxsub',
          sub_mchid: '1900000200',
          out_trade_no: 'T27',
          trade_state: 'SUCCESS',
          amount: { total: 1 },
        },
        true,
      ],
      [
        'TRANSACTION.SUCCESS',
        { combine_appid: G.appid, combine_mchid: M, combine_out_trade_no: 'C27', sub_orders: [] },
        false,
      ],
      [
        'REFUND.ABNORMAL',
        {
          sp_mchid: M,
          sub_mchid: '1900000200',
          out_trade_no: 'T27',
          refund_status: 'ABNORMAL',
          amount: { total: 1, refund: 1 },
        },
        false,
      ],
      [
        'MCHTRANSFER.BILL.FINISHED',
        { mchid: M, out_bill_no: 'B27', transfer_bill_no: '1330', state: 'SUCCESS', transfer_amount: 1 },
        false,
      ],
      ['PROFITSHARING.RETURN', { mchid: M, transaction_id: '42', order_id: 'O', out_order_no: 'P27' }, false],
      ['COMPLAINT.STATE_CHANGE', { complaint_id: 'K27', action_type: 'MERCHANT_RESPONSE', out_trade_no: 'T27' }, false],
    ];
    for (const [eventType, plain, paid] of families) {
      const { body, headers } = await signedCallback(good.serial, JSON.stringify(plain), C.now, eventType);
      const n = await v3.verifyNotify(body, headers, opts);
      assert.deepEqual([n.event_type, n.resource, n.paid], [eventType, plain, paid]);
    }
    for (const [eventType, plain, field] of [
      [
        'TRANSACTION.SUCCESS',
        { sp_appid: G.appid, sp_mchid: '1900000999', sub_mchid: M, out_trade_no: 'T27' },
        'sp_mchid',
      ],
      ['MCHTRANSFER.BILL.FINISHED', { mchid: '1900000999', out_bill_no: 'B27' }, 'mchid'],
    ]) {
      const { body, headers } = await signedCallback(good.serial, JSON.stringify(plain), C.now, eventType);
      await assert.rejects(v3.verifyNotify(body, headers, opts), { code: 'MCH_ID_MISMATCH', field });
      await goodCall();
    }
  });
}
