// wxpay-wasm/miniprogram in every runtime (issue 29): a safe-mode push sealed here with the
// runtime's own WebCrypto (AES-CBC, SHA-1) opens to the same message; a reply the package
// seals opens again; a replayed push fails; both xpay signatures equal WebCrypto's HMAC.
// (The full cross-check against Python `cryptography` is tests/js/miniprogram-reference.test.mjs.)
import { assert } from '../harness.mjs';

const enc = new TextEncoder();
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APPID = 'wx1234567890abcdef';
const TOKEN = 'pushtoken';

async function sha1Sorted(...parts) {
  return hex(await crypto.subtle.digest('SHA-1', enc.encode(parts.sort().join(''))));
}
async function hmac(key, text) {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', k, enc.encode(text)));
}

/** WeChat's envelope by WebCrypto: random16 ‖ len ‖ msg ‖ appid, padded to 32, AES-256-CBC (IV = key[0..16]). */
async function seal(message, appid) {
  const key = fromB64(`${KEY}=`).slice(0, 32);
  const msg = enc.encode(message);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, msg.length);
  const body = [...crypto.getRandomValues(new Uint8Array(16)), ...len, ...msg, ...enc.encode(appid)];
  const pad = 32 - (body.length % 32);
  const plain = Uint8Array.from([...body, ...Array(pad).fill(pad)]);
  const k = await crypto.subtle.importKey('raw', key, 'AES-CBC', false, ['encrypt']);
  // WebCrypto adds a 16-byte block of its own padding; CBC's earlier blocks do not depend on it.
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: key.slice(0, 16) }, k, plain));
  return b64(ct.slice(0, plain.length));
}

export default function miniprogram(test, { mp }) {
  const keys = { token: TOKEN, encodingAESKey: KEY, appid: APPID };
  const message = { MsgType: 'event', Event: 'trade_manage_order_settlement', transaction_id: '42', note: '中文 ✓' };

  test('push sealed by WebCrypto opens; replayed with another timestamp it is refused', async (t) => {
    if (!mp) return t.skip('this runner does not load wxpay-wasm/miniprogram');
    const encrypt = await seal(JSON.stringify(message), APPID);
    const query = {
      timestamp: '1765100000',
      nonce: '123',
      msg_signature: await sha1Sorted(TOKEN, '1765100000', '123', encrypt),
    };
    const body = JSON.stringify({ ToUserName: 'gh_1', Encrypt: encrypt });
    assert.deepEqual(mp.decryptPush({ query, body }, keys), message);
    assert.throws(() => mp.decryptPush({ query: { ...query, timestamp: '1765100001' }, body }, keys), {
      code: 'SIGN_MISMATCH',
    });
    const other = await seal(JSON.stringify(message), 'wx0000000000000000');
    const q2 = { ...query, msg_signature: await sha1Sorted(TOKEN, '1765100000', '123', other) };
    assert.throws(() => mp.decryptPush({ query: q2, body: JSON.stringify({ Encrypt: other }) }, keys), {
      code: 'APPID_MISMATCH',
    });
    assert.deepEqual(mp.decryptPush({ query, body: enc.encode(body) }, keys), message, 'the next good call works');
  });

  test('reply round trip and the URL check', async (t) => {
    if (!mp) return t.skip('this runner does not load wxpay-wasm/miniprogram');
    const reply = JSON.parse(mp.encryptPush(message, { ...keys, timestamp: 1765100000, nonce: 'n1' }));
    assert.equal(reply.MsgSignature, await sha1Sorted(TOKEN, '1765100000', 'n1', reply.Encrypt));
    const query = { timestamp: '1765100000', nonce: 'n1', msg_signature: reply.MsgSignature };
    assert.deepEqual(mp.decryptPush({ query, body: JSON.stringify({ Encrypt: reply.Encrypt }) }, keys), message);
    const signature = await sha1Sorted(TOKEN, '1', 'n');
    assert.equal(mp.verifyPushUrl({ signature, timestamp: '1', nonce: 'n', echostr: 'echo' }, TOKEN), 'echo');
  });

  test('xpay signatures equal WebCrypto HMAC-SHA256', async (t) => {
    if (!mp) return t.skip('this runner does not load wxpay-wasm/miniprogram');
    const body = JSON.stringify({ openid: 'o1', env: 0, user_ip: '127.0.0.1' });
    const s = mp.xpaySignatures({
      appKey: 'app-key',
      sessionKey: 'c2Vzc2lvbg==',
      uri: '/xpay/query_user_balance',
      body,
    });
    assert.equal(s.paySig, await hmac('app-key', `/xpay/query_user_balance&${body}`));
    assert.equal(s.signature, await hmac('c2Vzc2lvbg==', body));
  });
}
