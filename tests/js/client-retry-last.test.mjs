// The client's last failed attempt is reported as `error`, never `retry` or `unknown`
// (issue 26): nothing follows it, so a metric counting `retry` must not count it. Replies
// are signed here with node:crypto, not the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import wx from '../../pkg/node/index.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const M = { appid: 'wxd930ea5d5a258f4f', mch_id: '1900000109' };
const md5 = (f) =>
  createHash('md5')
    .update(
      `${Object.keys(f)
        .filter((k) => f[k] !== '')
        .sort()
        .map((k) => `${k}=${f[k]}`)
        .join('&')}&key=${KEY}`,
    )
    .digest('hex')
    .toUpperCase();
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
const reply = (fields) => {
  const f = { return_code: 'SUCCESS', return_msg: 'OK', ...M, nonce_str: 'n', result_code: 'SUCCESS', ...fields };
  return xmlOf({ ...f, sign: md5(f) });
};
const fail = (errCode) => reply({ result_code: 'FAIL', err_code: errCode, err_code_des: errCode });
const netDown = () => {
  throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
};
const ORDER = {
  body: 'b',
  out_trade_no: 'L20261203001',
  total_fee: 100,
  spbill_create_ip: '127.0.0.1',
  notify_url: 'https://m.example/n',
  trade_type: 'JSAPI',
  openid: 'o1',
};

function client(script, retries) {
  const events = [];
  const fetch = async () => {
    const next = script.shift();
    if (next === undefined) throw new Error('unexpected call');
    return new Response(typeof next === 'function' ? next() : next, { status: 200 });
  };
  const c = wx.createClient({
    appid: M.appid,
    mchId: M.mch_id,
    key: KEY,
    baseUrl: 'http://wechat.test',
    fetch,
    retries,
    backoffMs: 0,
    onEvent: (e) => events.push(e),
  });
  return { c, events, outcomes: () => events.map((e) => `${e.api}:${e.attempt}:${e.outcome}`) };
}

test('retryable answers until the end: retry, retry, then error on the last attempt', async () => {
  const s = client([fail('SYSTEMERROR'), fail('SYSTEMERROR'), fail('SYSTEMERROR')], 2);
  await assert.rejects(
    s.c.orderQuery({ out_trade_no: ORDER.out_trade_no }),
    (e) => e.code === 'RESULT_FAIL' && e.retryable === true,
  );
  assert.deepEqual(s.outcomes(), ['orderQuery:1:retry', 'orderQuery:2:retry', 'orderQuery:3:error']);
  assert.equal(s.events[2].code, 'RESULT_FAIL');
});

test('no answer until the end on a reading call: unknown, then error on the last attempt; retries: 0 is error at once', async () => {
  const s = client([netDown, netDown], 1);
  await assert.rejects(s.c.orderQuery({ out_trade_no: ORDER.out_trade_no }), (e) => e.code === 'NETWORK_ERROR');
  assert.deepEqual(s.outcomes(), ['orderQuery:1:unknown', 'orderQuery:2:error']);
  const z = client([fail('SYSTEMERROR')], 0);
  await assert.rejects(z.c.orderQuery({ out_trade_no: ORDER.out_trade_no }));
  assert.deepEqual(z.outcomes(), ['orderQuery:1:error']);
});

test('a creating call with no answer: the query still runs on the last attempt; absent → the call ends with error', async () => {
  const s = client([netDown, fail('ORDERNOTEXIST')], 0);
  await assert.rejects(s.c.unifiedOrder(ORDER), (e) => e.code === 'NETWORK_ERROR' && e.retryable === true);
  assert.deepEqual(s.outcomes(), [
    'unifiedOrder:1:unknown',
    'orderQuery:1:error',
    'unifiedOrder:1:absent',
    'unifiedOrder:1:error',
  ]);
  // …and when the query finds the order, the call is resolved, not an error.
  const found = client([netDown, reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'SUCCESS' })], 0);
  await assert.rejects(found.c.unifiedOrder(ORDER), (e) => e.code === 'RESULT_FAIL' && e.errCode === 'ORDERPAID');
  assert.deepEqual(found.outcomes(), ['unifiedOrder:1:unknown', 'orderQuery:1:ok', 'unifiedOrder:1:resolved']);
});
