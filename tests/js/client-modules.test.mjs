// The client modules imported from the source tree (js/client/options.js, fields.js,
// js/v3/client-keys.js, client-request.js), with the collaborators they are handed (the v3
// API, the transport) scripted here: option checking, the per-call field checks, the v3 key
// ring's refresh rules and the reading of an answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { WxPayError } from '../../js/core/index.js';
import {
  baseUrlOption,
  clientOptions,
  eventOption,
  fetchOption,
  intOption,
  requiredString,
} from '../../js/client/options.js';
import { isWeChatCode, requestFields, requiredText, sameField } from '../../js/client/fields.js';
import { createKeyring, publicKeysOption, verifyWith, REFRESH_MIN_INTERVAL_MS } from '../../js/v3/client-keys.js';
import { answerV3, requestV3 } from '../../js/v3/client-request.js';

const invalid = (field) => (e) =>
  e instanceof WxPayError && e.code === 'INVALID_PARAM' && (field === undefined || e.field === field);

test('clientOptions: a plain object, then the contract check', () => {
  const seen = [];
  const check = (fn, o) => {
    seen.push(fn);
    return o;
  };
  assert.throws(() => clientOptions('createClient', new Map(), check), invalid());
  assert.throws(
    () => clientOptions('createClient', null, check),
    /createClient: options must be a plain object, got null/,
  );
  assert.deepEqual(clientOptions('createNotifyHandler', { a: 1 }, check), { a: 1 });
  assert.deepEqual(seen, ['createNotifyHandler']);
});

test('requiredString and intOption: present and in range, or INVALID_PARAM naming the option', () => {
  assert.equal(requiredString({ appid: 'wx1' }, 'appid', 'createClient'), 'wx1');
  assert.throws(() => requiredString({ appid: '' }, 'appid', 'createClient'), invalid('appid'));
  assert.throws(
    () => requiredString({}, 'mchId', 'createClient'),
    /createClient: option `mchId` is required \(a non-empty string\), got undefined/,
  );
  assert.equal(intOption({}, 'retries', 2, 0, 10), 2);
  assert.equal(intOption({ retries: 0 }, 'retries', 2, 0, 10), 0);
  for (const bad of [11, -1, 1.5, '3', Number.MAX_SAFE_INTEGER + 1])
    assert.throws(() => intOption({ retries: bad }, 'retries', 2, 0, 10), invalid('retries'));
});

test('baseUrlOption: v2 keeps a path and cuts trailing slashes; v3 takes an origin only', () => {
  const D = 'https://api.mch.weixin.qq.com';
  assert.equal(baseUrlOption(undefined, D), D);
  assert.equal(baseUrlOption('http://127.0.0.1:9080/prefix//', D), 'http://127.0.0.1:9080/prefix');
  assert.equal(baseUrlOption('http://127.0.0.1:9080/', D, { origin: true }), 'http://127.0.0.1:9080');
  for (const bad of ['ftp://x', 'http://x/?a=1', 'http://x/#f', 'not a url', 42]) {
    assert.throws(() => baseUrlOption(bad, D), invalid('baseUrl'), String(bad));
    assert.throws(() => baseUrlOption(bad, D, { origin: true }), invalid('baseUrl'), String(bad));
  }
  assert.throws(() => baseUrlOption('https://x/v3', D, { origin: true }), /an http\(s\) origin/);
});

test('fetchOption and eventOption: functions or absent; a throwing hook is ignored and sees a frozen event', async () => {
  const mine = async () => 'mine';
  assert.equal(fetchOption(mine), mine);
  assert.throws(() => fetchOption(null), invalid('fetch'));
  assert.equal(typeof fetchOption(undefined), 'function'); // the host's, looked up per call
  assert.throws(() => eventOption('log'), invalid('onEvent'));
  eventOption(undefined)({ type: 'x' });
  let got;
  const emit = eventOption((e) => {
    got = e;
    throw new Error('a logger that throws');
  });
  emit({ type: 'attempt' });
  assert.ok(Object.isFrozen(got));
});

test('per-call checks: request fields, text arguments, our own answer fields, WeChat codes', () => {
  assert.throws(() => requestFields('refund', []), /refund: the request fields must be a plain object, got an array/);
  assert.throws(() => requiredText('close', '', 'outTradeNo'), invalid('outTradeNo'));
  sameField({}, 'mchid', '1', 'MCH_ID_MISMATCH');
  sameField({ mchid: '1' }, 'mchid', '1', 'MCH_ID_MISMATCH');
  assert.throws(
    () => sameField({ mchid: '2' }, 'mchid', '1', 'MCH_ID_MISMATCH'),
    (e) => e.code === 'MCH_ID_MISMATCH' && e.field === 'mchid',
  );
  const fail = new WxPayError('RESULT_FAIL', 'x', { errCode: 'ORDER_NOT_EXIST' });
  assert.ok(isWeChatCode(fail, 'RESOURCE_NOT_EXISTS', 'ORDER_NOT_EXIST'));
  assert.ok(!isWeChatCode(fail, 'NOT_FOUND'));
  assert.ok(!isWeChatCode(new Error('ORDER_NOT_EXIST'), 'ORDER_NOT_EXIST'));
});

test('publicKeysOption and createKeyring: public-key mode or certificate mode from the serials', () => {
  assert.throws(() => publicKeysOption({}), invalid('publicKeys'));
  assert.throws(() => publicKeysOption({ '': 'pem' }), invalid('publicKeys'));
  assert.throws(() => publicKeysOption(new Map([['S', 1]])), invalid('publicKeys'));
  assert.equal(createKeyring(publicKeysOption({ PUB_KEY_ID_01: 'pem' }), 0).certMode, false);
  assert.equal(
    createKeyring(publicKeysOption(new Map([['5157F09EFDC096DE15EBE81A47057A72', 'pem']])), 0).certMode,
    true,
  );
});

/**
 * A v3 client context with a scripted transport: `answers` are served in order; the v3 API
 * verifies a signature by looking its serial up in the keys it is given, as the real one does.
 */
function scripted(keys, answers, certs = {}) {
  const sent = [];
  const v3 = {
    authorization: async ({ method, url }) => `AUTH ${method} ${url}`,
    verifySignature: async (_body, headers, { publicKeys }) => {
      if (!(headers['wechatpay-serial'] in publicKeys))
        throw new WxPayError('UNKNOWN_SERIAL', `no key for ${headers['wechatpay-serial']}`);
    },
    parseCertificates: async () => certs,
    parseErrorResponse: async (status, body) =>
      new WxPayError('RESULT_FAIL', `HTTP ${status}`, { errCode: JSON.parse(new TextDecoder().decode(body)).code }),
  };
  const transport = {
    send: async (req) => {
      sent.push(req);
      return answers.shift();
    },
  };
  const c = {
    v3,
    transport,
    appid: 'wx1',
    mchId: '1900000001',
    serialNo: 'S',
    privateKey: 'k',
    apiV3Key: 'k'.repeat(32),
    baseUrl: 'https://mock',
    retries: 0,
    backoffMs: 0,
    emit: () => {},
    ring: createKeyring(new Map(Object.entries(keys)), 0),
  };
  return { c, sent };
}
const reply = (status, json, serial) => ({
  status,
  headers: serial ? { 'wechatpay-signature': 'sig', 'wechatpay-serial': serial } : {},
  body: new TextEncoder().encode(json === undefined ? '' : JSON.stringify(json)),
});

test("answerV3: a 2xx is verified before it is read; ours or refused; an unsigned 5xx is a gateway; a signed error is WeChat's code", async () => {
  const { c } = scripted({ PUB_KEY_ID_01: 'pem' }, []);
  assert.deepEqual(await answerV3(c, reply(200, { mchid: '1900000001', x: 1 }, 'PUB_KEY_ID_01')), {
    mchid: '1900000001',
    x: 1,
  });
  assert.deepEqual(await answerV3(c, reply(204, undefined, 'PUB_KEY_ID_01')), {});
  await assert.rejects(answerV3(c, reply(200, { mchid: '2' }, 'PUB_KEY_ID_01')), (e) => e.code === 'MCH_ID_MISMATCH');
  await assert.rejects(answerV3(c, reply(200, { appid: 'wx2' }, 'PUB_KEY_ID_01')), (e) => e.code === 'APPID_MISMATCH');
  await assert.rejects(
    answerV3(c, { ...reply(200, undefined, 'PUB_KEY_ID_01'), body: new TextEncoder().encode('[1]') }),
    (e) => e.code === 'INVALID_JSON',
  );
  await assert.rejects(answerV3(c, reply(200, {}, 'PUB_KEY_ID_99')), (e) => e.code === 'UNKNOWN_SERIAL');
  await assert.rejects(
    answerV3(c, reply(502)),
    (e) => e.code === 'NETWORK_ERROR' && e.retryable === true && e.httpStatus === '502',
  );
  await assert.rejects(answerV3(c, reply(404, { code: 'ORDER_NOT_EXIST' }, 'PUB_KEY_ID_01')), (e) =>
    isWeChatCode(e, 'ORDER_NOT_EXIST'),
  );
});

test('requestV3 sends a GET without a body and a POST with its JSON; the Authorization is made per attempt', async () => {
  const { c, sent } = scripted({ PUB_KEY_ID_01: 'pem' }, [
    reply(502),
    reply(200, { ok: true }, 'PUB_KEY_ID_01'),
    reply(200, {}, 'PUB_KEY_ID_01'),
  ]);
  c.retries = 1;
  assert.deepEqual(await requestV3(c, 'queryById', Promise.resolve({ method: 'GET', url: '/v3/x', body: '' })), {
    ok: true,
  });
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0], sent[1]);
  assert.equal(sent[0].url, 'https://mock/v3/x');
  assert.equal(sent[0].body, undefined);
  assert.equal(sent[0].headers['content-type'], undefined);
  await requestV3(c, 'close', Promise.resolve({ method: 'POST', url: '/v3/y', body: '{"mchid":"1"}' }));
  assert.equal(sent[2].body, '{"mchid":"1"}');
  assert.equal(sent[2].headers['content-type'], 'application/json');
  assert.equal(sent[2].headers.authorization, 'AUTH POST /v3/y');
});

test('verifyWith, certificate mode: an unknown serial downloads the certificates once, then not again within a minute', async () => {
  const OLD = '1111111111111111111111111111111111111111';
  const NEW = '2222222222222222222222222222222222222222';
  const { c, sent } = scripted({ [OLD]: 'old pem' }, [reply(200, { data: [] }, OLD)], {
    [NEW]: { pem: 'new pem', expireTime: '2031-01-01T00:00:00+08:00' },
  });
  const check = (serial) => (publicKeys) => c.v3.verifySignature(null, { 'wechatpay-serial': serial }, { publicKeys });
  await verifyWith(c, check(NEW));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].url, 'https://mock/v3/certificates');
  assert.equal(c.ring.keys.get(NEW), 'new pem');
  assert.equal(c.ring.expiry.get(NEW), Date.parse('2031-01-01T00:00:00+08:00'));
  // A forger's serial right after: refused without a second download (no download storm).
  await assert.rejects(verifyWith(c, check('3333')), (e) => e.code === 'UNKNOWN_SERIAL');
  assert.equal(sent.length, 1);
  assert.ok(REFRESH_MIN_INTERVAL_MS >= 60000);
});

test('verifyWith, public-key mode: an unknown serial is refused without any download', async () => {
  const { c, sent } = scripted({ PUB_KEY_ID_01: 'pem' }, []);
  await assert.rejects(
    verifyWith(c, (publicKeys) => c.v3.verifySignature(null, { 'wechatpay-serial': 'PUB_KEY_ID_02' }, { publicKeys })),
    (e) => e.code === 'UNKNOWN_SERIAL',
  );
  assert.equal(sent.length, 0);
});
