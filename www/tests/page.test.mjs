// End-to-end tests of the debugging page in Debian's Chromium. Each panel gets input typed
// into it, and its output is compared with values computed here with node:crypto or taken
// from the official vectors in tests/fixtures/wxpay-v2-public.json.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  DESKTOP,
  PHONE,
  SHOTS,
  hmac,
  md5,
  openPage,
  parseFlatXml,
  signHmac,
  signMd5,
  startAll,
  vector,
} from './helpers.mjs';

const K = '192006250b4c09247ec02edce69f6a2d';
const DOC = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};
const DOC_STRING = 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA';

let env;
let page;
let requests;
let problems;

before(async () => {
  env = await startAll();
  ({ page, requests, problems } = await openPage(env));
});
after(async () => {
  await env?.close();
});

const text = (sel) => page.textContent(sel).then((s) => s.trim());
/** After a click on Diagnose: the first diagnosis loads its own wasm, so wait for a result or an error. */
const diagnosed = (p = page) =>
  p.waitForFunction(
    () => !document.querySelector('#diagOut').hidden || document.querySelector('#diagError').textContent !== '',
  );
const tab = (name) => page.click(`.tabs button[data-tab="${name}"]`);

describe('Sign panel', () => {
  test('the official example, typed into the table, gives the documented MD5 and HMAC-SHA256 signs', async () => {
    await tab('sign');
    await page.fill('#key', K);
    // The page starts with the document's example rows; retype one value to prove it is live.
    const body = page.locator('#signTable tbody tr').nth(3).locator('.pvalue');
    await body.fill('changed');
    assert.equal(await text('#signMd5'), signMd5({ ...DOC, body: 'changed' }, K));
    await body.fill('test');
    assert.equal(await text('#signMd5'), vector('doc-sign-md5').expected_sign);
    assert.equal(await text('#signMd5'), md5(`${DOC_STRING}&key=${K}`));
    assert.equal(await text('#signHmac'), vector('doc-sign-hmac').expected_sign);
    assert.equal(await text('#signHmac'), hmac(K, `${DOC_STRING}&key=${K}`));
    const shown = await text('#signString');
    assert.equal(shown, `${DOC_STRING}&key=19****************************2d`);
    assert.ok(!shown.includes(K));
  });

  test('adding and removing rows updates the signature as you type', async () => {
    await page.click('#signAdd');
    const row = page.locator('#signTable tbody tr').last();
    await row.locator('.pname').fill('attach');
    await row.locator('.pvalue').fill('附加 数据');
    assert.equal(await text('#signMd5'), signMd5({ ...DOC, attach: '附加 数据' }, K));
    await page.selectOption('#signType', 'HMAC-SHA256');
    const xml = parseFlatXml(await text('#signXml'));
    assert.equal(xml.sign, signHmac({ ...DOC, attach: '附加 数据' }, K));
    assert.equal(xml.attach, '附加 数据');
    await row.locator('.del').click();
    assert.equal(await text('#signMd5'), vector('doc-sign-md5').expected_sign);
    await page.selectOption('#signType', 'MD5');
  });

  for (const id of [
    'wechatpy-md5',
    'wechatpy-hmac',
    'easywechat4-body-empty-signtype',
    'easywechat4-body-hmac-signtype',
    'wxpay-ruby-chinese-body',
    'sigoden-empty-ignored',
    'sigoden-unifiedorder-request',
  ]) {
    test(`pasted as JSON: vector ${id}`, async () => {
      const v = vector(id);
      await page.fill('#key', v.key);
      await page.fill('#signPaste', JSON.stringify(v.params));
      await page.click('#signImport');
      const md5Shown = await text('#signMd5');
      const hmacShown = await text('#signHmac');
      assert.equal(v.sign_type === 'MD5' ? md5Shown : hmacShown, v.expected_sign);
      assert.equal(md5Shown, signMd5(v.params, v.key));
      assert.equal(hmacShown, signHmac(v.params, v.key));
    });
  }

  test('pasted as XML and as k=v&…: the elixir refund request and the doc example', async () => {
    const v = vector('elixir-refund-request');
    await page.fill('#key', v.key);
    await page.fill('#signPaste', v.xml);
    await page.click('#signImport');
    assert.equal(await text('#signMd5'), v.expected_sign);
    assert.equal(await text('#signMd5'), signMd5(parseFlatXml(v.xml), v.key));
    await page.fill('#key', K);
    await page.fill('#signPaste', DOC_STRING);
    await page.click('#signImport');
    assert.equal(await text('#signMd5'), vector('doc-sign-md5').expected_sign);
    assert.equal(await page.locator('#signTable tbody tr').count(), 5);
  });

  test('a paste that is not XML, JSON or k=v is reported, not thrown', async () => {
    await page.fill('#signPaste', '<xml><a>1</a><!DOCTYPE x></xml>');
    await page.click('#signImport');
    assert.match(await text('#signPasteError'), /XML/);
    await page.fill('#signPaste', '');
  });
});

describe('Why does my signature not match?', () => {
  const doc = { ...DOC };
  const detail = { goods_detail: [{ goods_id: '1', goods_name: 'iPhone/苹果', quantity: 1, price: 528800 }] };
  const withEmpty = { ...DOC, attach: '' };
  const cases = [
    ['OTHER_SIGN_TYPE', doc, hmac(K, `${DOC_STRING}&key=${K}`)],
    ['SIGN_TYPE_EXCLUDED', { ...DOC, sign_type: 'HMAC-SHA256' }, hmac(K, `${DOC_STRING}&key=${K}`)],
    ['SIGN_TYPE_ADDED', doc, md5(`${DOC_STRING}&sign_type=MD5&key=${K}`)],
    [
      'EMPTY_VALUES_INCLUDED',
      withEmpty,
      md5(
        `appid=wxd930ea5d5a258f4f&attach=&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=${K}`,
      ),
    ],
    ['VALUES_TRIMMED', { ...DOC, body: '  test ' }, md5(`${DOC_STRING}&key=${K}`)],
    [
      'VALUES_URL_ENCODED',
      { ...DOC, body: '腾讯 充值' },
      signMd5({ ...DOC, body: encodeURIComponent('腾讯 充值') }, K),
    ],
    ['LOWERCASE_HEX', doc, md5(`${DOC_STRING}&key=${K}`).toLowerCase()],
    ['KEY_SUFFIX_MISSING', doc, md5(DOC_STRING)],
    ['KEY_WHITESPACE', doc, md5(`${DOC_STRING}&key=${K}\n`)],
    ['FIELD_ONE_SIDE', { ...DOC, attach: 'x' }, md5(`${DOC_STRING}&key=${K}`)],
    [
      'JSON_RESERIALIZED',
      { ...DOC, detail: JSON.stringify(detail, null, 2) },
      signMd5({ ...DOC, detail: JSON.stringify(detail) }, K),
    ],
  ];

  before(async () => {
    await tab('diagnose');
    await page.fill('#key', K);
  });

  async function diagnose(params, sign, format = 'json') {
    const pasted =
      format === 'json'
        ? JSON.stringify(params)
        : Object.entries(params)
            .map(([k, v]) => `${k}=${v}`)
            .join('&');
    await page.fill('#diagParams', pasted);
    await page.fill('#diagSign', sign);
    await page.click('#diagRun');
    await diagnosed();
    return { cause: await text('#diagCause'), string: await text('#diagString'), verdict: await text('#diagVerdict') };
  }

  for (const [cause, params, sign] of cases) {
    test(`finds ${cause}`, async () => {
      const got = await diagnose(params, sign);
      assert.equal(got.cause, cause);
      assert.ok(!got.string.includes(K), 'the key must be masked');
      assert.match(got.verdict, /找到原因/);
    });
  }

  test('a wrong key: no match and no cause', async () => {
    const got = await diagnose(doc, signMd5(doc, '00000000000000000000000000000000'), 'kv');
    assert.equal(got.cause, '—');
    assert.match(got.verdict, /密钥不同/);
  });

  test('a correct signature matches', async () => {
    const got = await diagnose(doc, vector('doc-sign-md5').expected_sign);
    assert.equal(got.cause, 'MATCH');
    assert.equal(got.string, `${DOC_STRING}&key=19****************************2d`);
  });

  test('the Sign tab’s parameters can be carried over', async () => {
    await tab('sign');
    await page.fill('#signPaste', JSON.stringify(DOC));
    await page.click('#signImport');
    await tab('diagnose');
    await page.click('#diagFromSign');
    await page.fill('#diagSign', hmac(K, `${DOC_STRING}&key=${K}`));
    await page.click('#diagRun');
    await diagnosed();
    assert.equal(await text('#diagCause'), 'OTHER_SIGN_TYPE');
  });
});

describe('Unified order panel', () => {
  const v = vector('sigoden-unifiedorder-request');

  before(async () => {
    await tab('order');
    await page.fill('#key', v.key);
  });

  async function fillOrder(order) {
    for (const el of await page.locator('#orderForm [name]').all()) {
      const name = await el.getAttribute('name');
      const tag = await el.evaluate((e) => e.tagName);
      if (tag === 'SELECT') await el.selectOption(order[name] ?? 'JSAPI');
      else await el.fill(order[name] ?? '');
    }
  }

  test('the official-style request vector builds to the same signed XML', async () => {
    await fillOrder(v.params);
    await page.selectOption('#orderType', 'MD5');
    const xml = parseFlatXml(await text('#orderXml'));
    assert.equal(xml.sign, v.expected_sign);
    const { sign, ...fields } = xml;
    assert.deepEqual(fields, v.params);
    assert.equal(sign, signMd5(v.params, v.key));
  });

  test('HMAC-SHA256 adds sign_type and signs it', async () => {
    await page.selectOption('#orderType', 'HMAC-SHA256');
    const xml = parseFlatXml(await text('#orderXml'));
    assert.equal(xml.sign_type, 'HMAC-SHA256');
    assert.equal(xml.sign, signHmac({ ...v.params, sign_type: 'HMAC-SHA256' }, v.key));
    await page.selectOption('#orderType', 'MD5');
  });

  for (const [field, bad] of [
    ['total_fee', '8.88'],
    ['notify_url', 'https://example.com/notify?id=1'],
    ['spbill_create_ip', 'localhost'],
    ['openid', ''],
    ['time_expire', '2024-01-01'],
  ]) {
    test(`an invalid ${field} is shown next to ${field}`, async () => {
      await page.fill(`#orderForm [name="${field}"]`, bad);
      const err = page.locator(`#orderForm .field-error[data-field="${field}"]`);
      assert.equal(await err.count(), 1);
      assert.match(await err.textContent(), new RegExp(field));
      assert.match(await err.textContent(), /^(字段值不合法|缺少必填字段)（(INVALID_FIELD|MISSING_FIELD)）：/);
      assert.ok(await page.locator(`#orderForm [name="${field}"]`).evaluate((e) => e.classList.contains('invalid')));
      assert.equal(await text('#orderXml'), '');
      await page.fill(`#orderForm [name="${field}"]`, v.params[field] ?? '');
      assert.equal(await page.locator('#orderForm .field-error').count(), 0);
    });
  }

  for (const id of ['official-miniprogram-paysign', 'easywechat6-paysign-hmac']) {
    test(`requestPaymentParams for a prepay_id: vector ${id}`, async () => {
      const p = vector(id);
      await page.fill('#key', p.key);
      await page.fill('#orderForm [name="appid"]', p.params.appId);
      await page.selectOption('#orderType', p.sign_type);
      await page.fill('#payForm [name="prepayId"]', p.params.package.replace('prepay_id=', ''));
      await page.fill('#payForm [name="timeStamp"]', p.params.timeStamp);
      await page.fill('#payForm [name="nonceStr"]', p.params.nonceStr);
      const got = JSON.parse(await text('#payOut'));
      assert.deepEqual(got, { ...p.params, paySign: p.expected_sign });
      const signer = p.sign_type === 'MD5' ? signMd5 : signHmac;
      assert.equal(got.paySign, signer(p.params, p.key));
    });
  }
});

describe('Verify notification panel', () => {
  before(async () => {
    await tab('verify');
  });

  async function verify(xml, key, expect = {}) {
    await page.fill('#key', key);
    await page.fill('#verifyXml', xml);
    for (const name of ['appid', 'mchId', 'outTradeNo', 'totalFee']) {
      await page.fill(`#verifyExpect [name="${name}"]`, expect[name] ?? '');
    }
    await page.click('#verifyRun');
    const states = {};
    for (const li of await page.locator('#verifyChecks li').all()) {
      states[await li.getAttribute('data-check')] = await li.getAttribute('data-state');
    }
    return states;
  }

  const OK_REPLY = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

  test('a genuine paid notification: every check passes, fields shown, SUCCESS reply', async () => {
    const v = vector('elixir-paid-notify-valid');
    const f = parseFlatXml(v.xml);
    assert.equal(signMd5(f, v.key), f.sign);
    const states = await verify(v.xml, v.key, {
      appid: f.appid,
      mchId: f.mch_id,
      outTradeNo: f.out_trade_no,
      totalFee: f.total_fee,
    });
    assert.deepEqual(Object.values(states), Array(9).fill('pass'));
    assert.equal(await text('#verifyReply'), OK_REPLY);
    const rows = await page
      .locator('#verifyFields tr')
      .evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent])));
    assert.deepEqual(rows, f);
  });

  test('an expectation that differs fails only its own check', async () => {
    const v = vector('elixir-paid-notify-valid');
    const f = parseFlatXml(v.xml);
    const states = await verify(v.xml, v.key, {
      outTradeNo: f.out_trade_no,
      totalFee: String(Number(f.total_fee) + 1),
    });
    assert.equal(states.chkSign, 'pass');
    assert.equal(states.chkOtn, 'pass');
    assert.equal(states.chkFee, 'fail');
    assert.equal(states.chkAppid, 'skip');
    assert.match(await text('#verifyReply'), /FAIL/);
  });

  test('the official document’s notification, whose sign is not valid, fails the signature check', async () => {
    const v = vector('official-paid-notify-doc-sign-invalid');
    const f = parseFlatXml(v.xml);
    assert.notEqual(signMd5(f, v.key), f.sign);
    const states = await verify(v.xml, v.key);
    assert.equal(states.chkXml, 'pass');
    assert.equal(states.chkReturn, 'pass');
    assert.equal(states.chkSign, 'fail');
    assert.equal(states.chkPaid, 'skip');
    assert.equal(
      await text('#verifyReply'),
      '<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[SIGNERROR]]></return_msg></xml>',
    );
    assert.ok(await page.locator('#verifyDiagnose').isVisible());
  });

  test('hostile XML fails the first check', async () => {
    const states = await verify('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>', K);
    assert.equal(states.chkXml, 'fail');
    assert.equal(states.chkSign, 'skip');
  });
});

describe('Make a test notification panel', () => {
  const order = {
    appid: 'wx2421b1c4370ec43b',
    mch_id: '10000100',
    out_trade_no: '1409811653',
    total_fee: '1',
    openid: 'oUpF8uMEb4qRXf22hE3X68TekukE',
    transaction_id: '1004400740201409030005092168',
    time_end: '20140903131540',
    result_code: 'SUCCESS',
    trade_type: 'JSAPI',
    bank_type: 'CFT',
    attach: '支付测试',
    nonce_str: '5d2b6c2a8db53831f7eda20af46e531c',
  };

  before(async () => {
    await tab('make');
    await page.fill('#key', K);
  });

  async function fillMake(o) {
    for (const el of await page.locator('#makeForm [name]').all()) {
      const name = await el.getAttribute('name');
      if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(o[name]);
      else await el.fill(o[name] ?? '');
    }
  }

  for (const type of ['MD5', 'HMAC-SHA256']) {
    test(`${type}: the notification is signed as node:crypto computes it`, async () => {
      await fillMake(order);
      await page.selectOption('#makeType', type);
      const xml = await text('#makeXml');
      const f = parseFlatXml(xml);
      const { sign, ...rest } = f;
      const expected = { ...order, return_code: 'SUCCESS', ...(type === 'MD5' ? {} : { sign_type: 'HMAC-SHA256' }) };
      assert.deepEqual(rest, expected);
      assert.equal(sign, type === 'MD5' ? signMd5(expected, K) : signHmac(expected, K));
      const curl = await text('#makeCurl');
      assert.ok(curl.startsWith("curl -sS -X POST -H 'Content-Type: text/xml'"));
      assert.ok(curl.includes(`--data-binary '${xml}'`));
      assert.ok(curl.endsWith("'http://127.0.0.1:3000/wxpay/notify'"));
    });
  }

  test('the generated notification verifies in the Verify panel', async () => {
    await page.click('#makeToVerify');
    const states = await page.locator('#verifyChecks li').evaluateAll((lis) => lis.map((li) => li.dataset.state));
    assert.deepEqual(states, Array(9).fill('pass'));
    await tab('make');
  });

  test('a bad amount is shown next to total_fee; a single quote in attach is shell-quoted', async () => {
    await page.fill('#makeForm [name="total_fee"]', '0');
    assert.equal(await page.locator('#makeForm .field-error[data-field="total_fee"]').count(), 1);
    await page.fill('#makeForm [name="total_fee"]', '1');
    await page.fill('#makeForm [name="attach"]', "it's");
    assert.ok((await text('#makeCurl')).includes("it'\\''s"));
    await page.fill('#makeUrl', 'localhost:3000/notify');
    assert.equal(await text('#makeError'), 'notify 地址必须以 http:// 或 https:// 开头。');
    assert.equal(await text('#makeCurl'), '');
    await page.fill('#makeUrl', 'http://127.0.0.1:3000/wxpay/notify');
  });
});

describe('the page as a whole', () => {
  test('no request leaves the page’s own origin, and the key is in none of them', async () => {
    assert.ok(requests.length >= 5, 'the page loads its own files');
    for (const r of requests) {
      const u = new URL(r.url);
      if (u.protocol === 'data:') continue;
      assert.equal(u.origin, env.origin, `request to ${r.url}`);
      assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
      assert.ok(!r.url.includes(K) && !(r.body || '').includes(K));
    }
    const wasm = requests.find((r) => r.url.endsWith('.wasm'));
    assert.ok(wasm, 'the wasm core is loaded from the same origin');
  });

  test('nothing was written to storage without being asked', async () => {
    assert.equal(await page.evaluate(() => localStorage.length), 0);
  });

  test('no console errors or warnings', () => {
    assert.deepEqual(problems, []);
  });

  test('English toggle and back', async () => {
    await page.click('#lang');
    assert.equal(await text('h1'), 'WeChat Pay v2/v3 signature & notification debugger');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('#lang');
    assert.equal(await text('h1'), '微信支付 v2/v3 签名与回调调试工具');
  });

  test('saving keeps the key out unless asked; forgetting clears it', async () => {
    const { page: p, context } = await openPage(env);
    await p.fill('#key', 'secret-key-123456');
    await p.click('#saveState');
    const saved = await p.evaluate(() => localStorage.getItem('wxpay-wasm-debug'));
    assert.ok(saved && !saved.includes('secret-key-123456'));
    await p.reload();
    await p.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    assert.equal(await p.inputValue('#key'), '');
    await p.fill('#key', 'secret-key-123456');
    await p.check('#saveKey');
    await p.click('#saveState');
    assert.ok((await p.evaluate(() => localStorage.getItem('wxpay-wasm-debug'))).includes('secret-key-123456'));
    await p.click('#clearState');
    assert.equal(await p.evaluate(() => localStorage.getItem('wxpay-wasm-debug')), null);
    await context.close();
  });
});

describe('screenshots at desktop and phone width', () => {
  const PANELS = ['sign', 'diagnose', 'order', 'verify', 'make'];

  /** Puts something meaningful in every panel so the screenshot shows output. */
  async function populate(p) {
    await p.fill('#key', K);
    await p.click('.tabs button[data-tab="diagnose"]');
    await p.fill('#diagParams', JSON.stringify({ ...DOC, sign_type: 'HMAC-SHA256' }));
    await p.fill('#diagSign', hmac(K, `${DOC_STRING}&key=${K}`));
    await p.click('#diagRun');
    await diagnosed(p);
    await p.click('.tabs button[data-tab="order"]');
    await p.fill('#orderForm [name="total_fee"]', '8.8');
    await p.fill('#payForm [name="prepayId"]', 'wx201410272009395522657a690389285100');
    await p.click('.tabs button[data-tab="make"]');
    await p.click('#makeToVerify');
  }

  for (const [label, viewport, english] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
    ['phone-en', PHONE, true],
  ]) {
    test(`${label}: every panel, saved under tests/artifacts/screenshots/`, async () => {
      const { page: p, context, problems: issues } = await openPage(env, viewport);
      if (english) await p.click('#lang');
      await populate(p);
      for (const name of PANELS) {
        await p.click(`.tabs button[data-tab="${name}"]`);
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} at ${label} width scrolls sideways by ${overflow}px`);
        await p.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
      }
      assert.deepEqual(issues, []);
      await context.close();
    });
  }
});
