// The package as this runtime resolved it: both entries ready after init(), init()
// idempotent, and ONE WxPayError class across `wxpay-wasm` and `wxpay-wasm/v3`.
import { assert } from '../harness.mjs';

export default function pkg(test, { wx, v3 }) {
  test('init() is idempotent on both entries and both are ready', async () => {
    await Promise.all([wx.init(), wx.init(), v3.init()]);
    assert.equal(
      wx.sign(
        {
          appid: 'wxd930ea5d5a258f4f',
          mch_id: '10000100',
          device_info: '1000',
          body: 'test',
          nonce_str: 'ibuaiVcKdpRxkhJA',
        },
        '192006250b4c09247ec02edce69f6a2d',
      ),
      '9A0A8659F005D6984697E2CA0A9CF3B7',
    );
    assert.deepEqual(await v3.notifyReply(true), { status: 204, headers: {}, body: '' });
  });

  test('diagnoseSign after initDiagnose() (its own wasm), which is idempotent', async () => {
    await Promise.all([wx.initDiagnose(), wx.initDiagnose()]);
    const doc = {
      appid: 'wxd930ea5d5a258f4f',
      mch_id: '10000100',
      device_info: '1000',
      body: 'test',
      nonce_str: 'ibuaiVcKdpRxkhJA',
    };
    const key = '192006250b4c09247ec02edce69f6a2d';
    assert.equal(wx.diagnoseSign(doc, key, '9A0A8659F005D6984697E2CA0A9CF3B7').match, true);
    // The right signature in lowercase hex: a mistake the diagnosis names.
    assert.equal(wx.diagnoseSign(doc, key, '9a0a8659f005d6984697e2ca0a9cf3b7').cause, 'LOWERCASE_HEX');
  });

  test('one WxPayError class across wxpay-wasm and wxpay-wasm/v3', async () => {
    assert.equal(typeof wx.WxPayError, 'function');
    assert.equal(v3.WxPayError, wx.WxPayError);
    let fromV3;
    try {
      await v3.decryptResource(
        { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'AAAA', nonce: 'n', associated_data: '' },
        'short',
      );
    } catch (e) {
      fromV3 = e;
    }
    assert.ok(fromV3 instanceof wx.WxPayError && fromV3.code === 'INVALID_PARAM', `v3 threw ${fromV3}`);
    assert.throws(
      () => wx.sign(null, 'k'),
      (e) => e instanceof v3.WxPayError && e.code === 'INVALID_PARAM',
    );
  });
}
