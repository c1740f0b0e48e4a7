// Messages a person acts on (issue 10): what was passed, named rightly; what was
// expected; which option lifts a limit. And bodies as bytes, refused by size before
// anything reaches wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import wxpay from '../../pkg/node/index.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';

function message(f, code) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof wxpay.WxPayError, `${e}`);
    assert.equal(e.code, code, e.message);
    return e.message;
  }
  assert.fail('did not throw');
}

test('values are named as what they are', () => {
  assert.match(
    message(() => wxpay.sign({ a: '1' }, 12345), 'INVALID_PARAM'),
    /key must be a string, got the number 12345$/,
  );
  assert.match(
    message(() => wxpay.sign({ a: '1' }, 1.5), 'INVALID_PARAM'),
    /got the number 1\.5$/,
  );
  assert.match(
    message(() => wxpay.sign({ a: '1' }, {}), 'INVALID_PARAM'),
    /got an object$/,
  );
  assert.match(
    message(() => wxpay.sign({ a: '1' }, [1]), 'INVALID_PARAM'),
    /got an array$/,
  );
  assert.match(
    message(() => wxpay.sign({ a: '1' }, true), 'INVALID_PARAM'),
    /got the boolean true$/,
  );
  assert.match(
    message(() => wxpay.sign({ a: '1' }, undefined), 'INVALID_PARAM'),
    /got undefined$/,
  );
  assert.match(
    message(() => wxpay.sign(new Map(), KEY), 'INVALID_PARAM'),
    /params must be a plain object, got a Map$/,
  );
  assert.match(
    message(() => wxpay.sign({ a: 2 ** 53 }, KEY), 'INVALID_FIELD'),
    /field `a` is the number 9007199254740992; values must be strings or safe integers/,
  );
  assert.match(
    message(() => wxpay.sign({ a: { b: 1 } }, KEY), 'INVALID_FIELD'),
    /field `a` is an object;/,
  );
  assert.match(
    message(() => wxpay.nonceStr('8'), 'INVALID_PARAM'),
    /length must be a number from 1 to 32, got a string$/,
  );
});

test('a body that is not XML says what was expected; a JSON body points to v3', () => {
  const json = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS","resource":{}}';
  for (const body of [json, Buffer.from(json), ` \n${json}`]) {
    const m = message(() => wxpay.verifyNotify(body, { key: KEY }), 'INVALID_XML');
    assert.match(m, /expected a WeChat Pay v2 `<xml>` document/);
    assert.match(m, /this looks like a WeChat Pay API v3 JSON callback; use verifyNotify from wxpay-wasm\/v3/);
  }
  for (const f of [
    (b) => wxpay.parseXml(b),
    (b) => wxpay.parseResponse(b, { key: KEY }),
    (b) => wxpay.decryptRefundNotify(b, { key: KEY }),
  ]) {
    assert.match(
      message(() => f(json), 'INVALID_XML'),
      /v3 JSON callback/,
    );
    const m = message(() => f('return_code=SUCCESS&sign=X'), 'INVALID_XML');
    assert.match(m, /expected a WeChat Pay v2 `<xml>` document/);
    assert.doesNotMatch(m, /v3/);
  }
});

test('INPUT_TOO_LARGE names the maxBytes option where there is one', () => {
  const big = `<xml><a>${'x'.repeat(70 * 1024)}</a></xml>`;
  for (const body of [big, Buffer.from(big), new TextEncoder().encode(big)]) {
    for (const f of [
      () => wxpay.verifyNotify(body, { key: KEY }),
      () => wxpay.parseXml(body),
      () => wxpay.decryptRefundNotify(body, { key: KEY }),
    ]) {
      const m = message(f, 'INPUT_TOO_LARGE');
      assert.match(m, /the limit is 65536 bytes \(the `maxBytes` option, 65536 by default, allows up to 1048576\)/);
    }
    // The option lifts it: the same body then parses.
    assert.equal(wxpay.parseXml(body, { maxBytes: 128 * 1024 }).a.length, 70 * 1024);
    // parseResponse has no such option: its limit is stated, no option named.
    assert.doesNotMatch(
      message(() => wxpay.parseResponse(body, { key: KEY }), 'INPUT_TOO_LARGE'),
      /maxBytes/,
    );
  }
  // Multi-byte text: the limit counts UTF-8 bytes, as the core does.
  const wide = `<xml><a>${'中'.repeat(22 * 1024)}</a></xml>`; // 66 KiB of UTF-8 in 22 Ki UTF-16 units
  assert.match(
    message(() => wxpay.parseXml(wide), 'INPUT_TOO_LARGE'),
    new RegExp(`is ${Buffer.byteLength(wide)} bytes`),
  );
  assert.equal(wxpay.parseXml(wide, { maxBytes: 80 * 1024 }).a.length, 22 * 1024);
});

test('an oversized Buffer is refused before it is copied into wasm memory', () => {
  const before = wxpay.__wasmMemoryBytes();
  const huge = Buffer.alloc(8 * 1024 * 1024, 0x61);
  for (let i = 0; i < 4; i++) {
    message(() => wxpay.verifyNotify(huge, { key: KEY }), 'INPUT_TOO_LARGE');
    message(
      () => wxpay.parseXml(new Uint8Array(huge.buffer, huge.byteOffset, huge.byteLength), { maxBytes: 1024 * 1024 }),
      'INPUT_TOO_LARGE',
    );
    message(() => wxpay.decryptReqInfo(huge, KEY), 'INPUT_TOO_LARGE');
  }
  assert.equal(wxpay.__wasmMemoryBytes(), before);
});

test('bytes that are not UTF-8 are refused, not replaced', () => {
  const xml = Buffer.concat([Buffer.from('<xml><a>'), Buffer.from([0xc3, 0x28]), Buffer.from('</a></xml>')]);
  assert.match(
    message(() => wxpay.parseXml(xml), 'INVALID_PARAM'),
    /xml is not valid UTF-8/,
  );
  // A body of another type names what it got.
  assert.match(
    message(() => wxpay.parseXml(new ArrayBuffer(4)), 'INVALID_PARAM'),
    /xml must be a string, a Buffer or a Uint8Array, got an ArrayBuffer$/,
  );
});
