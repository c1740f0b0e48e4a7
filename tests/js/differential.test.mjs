// Differential tests (issue 5): the package's `sign` against a reference written here with
// node:crypto and against two peer SDKs, over seeded random parameter sets; plus round
// trips (toXml/parseXml, buildNotifyXml/verifyNotify, every signed builder),
// single-character flips that must make `verify` false, and refund notifications
// encrypted here with node:crypto and decrypted by the package.
//
//   DIFF_SETS=10000 (default)   how many parameter sets
//   DIFF_SEED=<n>               the first seed; set i uses seed DIFF_SEED + i
//   DIFF_FLIPS=4                values flipped per set and sign type (Infinity: all)
// A failure names its seed; `DIFF_SEED=<seed> DIFF_SETS=1 node --test differential.test.mjs`
// replays exactly that set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

import wxpay from '../../pkg/node/index.mjs';

const require = createRequire(import.meta.url);
const Tenpay = require('tenpay');
const { Hash: AxiosHash } = require('wechatpay-axios-plugin');

const SETS = Number(process.env.DIFF_SETS ?? 10000);
const SEED = Number(process.env.DIFF_SEED ?? 0x5eed0005);
const SIGN_TYPES = ['MD5', 'HMAC-SHA256'];
const BIG = { maxBytes: 1024 * 1024 };
const FLIPS_PER_SET = Number(process.env.DIFF_FLIPS ?? 4);

// ---------------------------------------------------------------------------------------
// The seeded generator.

/** mulberry32: small, fast, and the same sequence on every platform. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  return { next, int, pick };
}

// Field names WeChat really uses in v2 requests, replies, notifications and pay params.
const WECHAT_NAMES = [
  'appid',
  'mch_id',
  'sub_appid',
  'sub_mch_id',
  'device_info',
  'nonce_str',
  'sign',
  'sign_type',
  'body',
  'detail',
  'attach',
  'out_trade_no',
  'fee_type',
  'total_fee',
  'spbill_create_ip',
  'time_start',
  'time_expire',
  'goods_tag',
  'notify_url',
  'trade_type',
  'product_id',
  'limit_pay',
  'openid',
  'sub_openid',
  'receipt',
  'scene_info',
  'profit_sharing',
  'return_code',
  'return_msg',
  'result_code',
  'err_code',
  'err_code_des',
  'prepay_id',
  'code_url',
  'mweb_url',
  'transaction_id',
  'is_subscribe',
  'bank_type',
  'settlement_total_fee',
  'cash_fee',
  'cash_fee_type',
  'coupon_fee',
  'coupon_count',
  'coupon_type_0',
  'coupon_id_0',
  'coupon_fee_0',
  'time_end',
  'trade_state',
  'trade_state_desc',
  'out_refund_no',
  'refund_id',
  'refund_fee',
  'refund_desc',
  'refund_account',
  'req_info',
  'appId',
  'timeStamp',
  'nonceStr',
  'package',
  'signType',
  'paySign',
  'key',
];
const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';
const SPECIALS = [
  '&',
  '=',
  '<',
  '>',
  ']]>',
  '"',
  "'",
  '\n',
  '\r\n',
  '&amp;',
  '<![CDATA[',
  '&#x41;',
  '%26',
  '+',
  '\\',
  '`key=`',
];
const SPACES = [' ', '\t', '\n', '\r', '\u3000', '\u00a0'];
const ASTRAL = ['😀', '🧧', '𠀀', '𝄞', '👨‍👩‍👧', '\u{10ffff}', '🀄'];

function randomName(r) {
  if (r.next() < 0.5) return r.pick(WECHAT_NAMES);
  let s = '';
  for (let n = 1 + r.int(24); n > 0; n--) s += NAME_CHARS[r.int(NAME_CHARS.length)];
  return s;
}

function segment(r) {
  switch (r.int(7)) {
    case 0:
      return String.fromCharCode(0x4e00 + r.int(0x9fa5 - 0x4e00)).repeat(1 + r.int(3)); // Chinese
    case 1:
      return r.pick(ASTRAL);
    case 2:
      return r.pick(SPECIALS);
    case 3:
      return r.pick(SPACES);
    case 4:
      return String(r.int(1000));
    default: {
      let s = '';
      for (let n = 1 + r.int(12); n > 0; n--) s += String.fromCharCode(0x20 + r.int(95));
      return s;
    }
  }
}

function randomValue(r) {
  const k = r.next();
  if (k < 0.08) return '';
  if (k < 0.14) {
    let s = '';
    for (let n = 1 + r.int(4); n > 0; n--) s += r.pick(SPACES);
    return s;
  }
  if (k < 0.24) return r.pick([0, -1, -r.int(1e9), 2 ** 53 - 1, -(2 ** 53 - 1), r.int(1e6), -0]); // numbers
  if (k < 0.3) return r.pick(['0', '-7', '9007199254740991', '007', '1.0', '1e3', String(r.int(1e9))]);
  if (k < 0.32) {
    // very long: 1,000 to 5,000 UTF-16 units
    let s = '';
    while (s.length < 1000 + r.int(4000)) s += segment(r);
    return s;
  }
  let s = '';
  for (let n = 1 + r.int(6); n > 0; n--) s += segment(r);
  return s;
}

/** One parameter set: 1 to 40 fields, as a plain object (numbers stay numbers). */
function generate(seed) {
  const r = rng(seed);
  const p = {};
  for (let n = 1 + r.int(40); n > 0; n--) {
    const name = randomName(r);
    if (name === '__proto__') continue;
    p[name] = randomValue(r);
  }
  return { p, r, key: randomKey(r) };
}

function randomKey(r) {
  // Merchant keys are 32 ASCII characters; a few sets use other lengths and non-ASCII.
  if (r.next() < 0.9) {
    let s = '';
    for (let i = 0; i < 32; i++) s += NAME_CHARS[r.int(62)];
    return s;
  }
  return r.pick(['k', 'ключ密钥', 'x'.repeat(100), '😀key']);
}

// ---------------------------------------------------------------------------------------
// The reference, from WeChat's documented rule (安全规范 → 签名算法): drop `sign` and empty
// values, sort names by ASCII, join `k=v` with `&`, append `key=<API key>`, then MD5 or
// HMAC-SHA256 keyed with the API key, hex uppercase. The doc writes stringA + "&key=…",
// which is ambiguous when no field is signed; WeChat's official Java SDK
// (WXPayUtil.generateSignature) appends `k=v&` per field then `key=…`, so an empty set
// signs "key=…" — that is what the reference follows.

const text = (v) => String(v);
const byteOrder = (a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function refSigningString(p) {
  return Object.keys(p)
    .filter((k) => k !== 'sign' && text(p[k]) !== '')
    .sort(byteOrder)
    .map((k) => `${k}=${text(p[k])}`)
    .join('&');
}

function refSign(p, key, type) {
  const fields = refSigningString(p);
  const s = `${fields}${fields ? '&' : ''}key=${key}`;
  const h = type === 'MD5' ? createHash('md5').update(s, 'utf8') : createHmac('sha256', key).update(s, 'utf8');
  return h.digest('hex').toUpperCase();
}

// ---------------------------------------------------------------------------------------
// Peers. Each is asked only about inputs on which its documented rule and WeChat's agree.

const signedCount = (p) => Object.keys(p).filter((k) => k !== 'sign' && text(p[k]) !== '').length;
const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/;

const tenpay = new Tenpay({ appid: 'wx0', mchid: '1', partnerKey: 'placeholder' });
const peers = [
  {
    // tenpay signs with Payment#_getSign (used for every request and to check every
    // reply/notification). It differs from WeChat's rule when no field is signed: it
    // hashes "&key=…" with a leading `&`. It also stringifies `null` to "null" (we never
    // pass null here) and, when verifying, trims values (xml2js trim:true) — a
    // notification with leading/trailing spaces would fail there, not here.
    name: 'tenpay',
    accepts: (p) => signedCount(p) > 0,
    sign: (p, key, type) => {
      tenpay.partnerKey = key;
      return tenpay._getSign(p, type);
    },
  },
  {
    // wechatpay-axios-plugin: Hash.sign(type, data, key) = queryStringLike(ksort(data)).
    // It differs (1) when no field is signed ("&key=…", as tenpay), and (2) for names that
    // are array indices ("7", "10"): ksort rebuilds an object, and JS enumerates
    // integer-like keys first in numeric order, so {"10":…, "9":…, "A":…} signs
    // 9, 10, A instead of WeChat's ASCII order 10, 9, A.
    name: 'wechatpay-axios-plugin',
    accepts: (p) => signedCount(p) > 0 && !Object.keys(p).some((k) => ARRAY_INDEX.test(k)),
    sign: (p, key, type) => AxiosHash.sign(type, p, key),
  },
];

// ---------------------------------------------------------------------------------------
// Signed builders: each returns signed XML from (extra fields, key, signType). The round
// trip parses the XML, recomputes the reference sign over what was sent and checks that
// verifyNotify/verify accept it. Issue 4's query/close/refund builders are added here with
// one entry each (their required fields in `fixed`).

const ORDER_FIXED = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  body: '腾讯充值中心-QQ会员充值',
  out_trade_no: '20150806125346',
  total_fee: '888',
  spbill_create_ip: '123.12.12.123',
  notify_url: 'https://example.com/wxpay/notify',
  trade_type: 'JSAPI',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
};
// Fields the builders validate or set themselves; random values there are the validation
// tests' business, not the differential test's.
// Fields a builder validates or fills itself: random values for them would be refused
// (rightly), so the generated set loses them before it goes to a builder.
const BUILDER_OWNED = [
  'sign',
  'sign_type',
  'nonce_str',
  'time_start',
  'time_expire',
  'return_code',
  'result_code',
  'time_end',
  'cash_fee',
  'transaction_id',
  'out_trade_no',
  'refund_id',
  'out_refund_no',
  'refund_fee',
  'refund_desc',
  'refund_account',
  'notify_url',
  'offset',
  'bill_date',
  'bill_type',
  'tar_type',
];
const MERCHANT = { appid: 'wx1', mch_id: '2' };

const BUILDERS = [
  {
    name: 'buildUnifiedOrderXml',
    fixed: ORDER_FIXED,
    build: (f, key, signType) => wxpay.buildUnifiedOrderXml(f, { key, signType }),
  },
  {
    name: 'buildNotifyXml',
    fixed: { appid: 'wx1', mch_id: '2', out_trade_no: 'A-1|*_b', total_fee: 1 },
    build: (f, key, signType) => wxpay.buildNotifyXml(f, { key, signType }),
  },
  {
    name: 'buildOrderQueryXml',
    fixed: { ...MERCHANT, out_trade_no: 'o1' },
    build: (f, key, signType) => wxpay.buildOrderQueryXml(f, { key, signType }),
  },
  {
    name: 'buildCloseOrderXml',
    fixed: { ...MERCHANT, out_trade_no: 'o1' },
    build: (f, key, signType) => wxpay.buildCloseOrderXml(f, { key, signType }),
  },
  {
    name: 'buildRefundXml',
    fixed: { ...MERCHANT, out_trade_no: 'o1', out_refund_no: 'r1', total_fee: 10, refund_fee: 5 },
    build: (f, key, signType) => wxpay.buildRefundXml(f, { key, signType }),
  },
  {
    name: 'buildRefundQueryXml',
    fixed: { ...MERCHANT, out_refund_no: 'r1' },
    build: (f, key, signType) => wxpay.buildRefundQueryXml(f, { key, signType }),
  },
  {
    name: 'buildDownloadBillXml',
    fixed: { ...MERCHANT, bill_date: '20240101', bill_type: 'ALL' },
    build: (f, key, signType) => wxpay.buildDownloadBillXml(f, { key, signType }),
  },
];

function builderInput(p, fixed) {
  const f = { ...p };
  for (const k of BUILDER_OWNED) delete f[k];
  return { ...f, ...fixed };
}

// ---------------------------------------------------------------------------------------
// Flips.

/** `s` with the code point at `index` (a code-point index) replaced by a different one. */
function flipAt(s, index) {
  const cps = [...s];
  const c = cps[index];
  cps[index] = c === 'x' ? 'y' : 'x';
  return cps.join('');
}

const stats = {
  sets: 0,
  compared: 0,
  peers: Object.fromEntries(peers.map((p) => [p.name, 0])),
  flips: 0,
  roundTrips: 0,
  builders: 0,
};

function checkSet(seed) {
  const { p, r, key } = generate(seed);
  stats.sets++;

  // parseXml(toXml(p)) equals p, every value as text.
  const xml = wxpay.toXml(p);
  const back = wxpay.parseXml(xml, BIG);
  assert.deepEqual(
    back,
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, text(v)])),
    'parseXml(toXml(p)) !== p',
  );
  stats.roundTrips++;

  assert.equal(wxpay.signingString(p), refSigningString(p), 'signingString differs from the reference');

  for (const type of SIGN_TYPES) {
    const ours = wxpay.sign(p, key, type);
    assert.equal(ours, refSign(p, key, type), `${type}: sign differs from the node:crypto reference`);
    stats.compared++;
    for (const peer of peers) {
      if (!peer.accepts(p)) continue;
      assert.equal(ours, peer.sign(p, key, type), `${type}: sign differs from ${peer.name}`);
      stats.peers[peer.name]++;
    }

    // verify accepts the sign; any single changed character of a value or of the sign
    // makes it false. Per set and sign type, up to FLIPS_PER_SET signed values (chosen at
    // random) get one flip at a random position, and the sign is flipped at its first,
    // last and a random character: over 10,000 sets that is every name of the pool and
    // every sign position many times, in a time CI can afford.
    const signed = { ...p, sign: ours };
    assert.equal(wxpay.verify(signed, key, type), true, `${type}: verify rejects its own sign`);
    const flippable = Object.keys(p).filter((k) => k !== 'sign' && text(p[k]) !== '');
    for (let n = Math.min(FLIPS_PER_SET, flippable.length); n > 0; n--) {
      const k = flippable.splice(r.int(flippable.length), 1)[0];
      const v = text(p[k]);
      const n = [...v].length;
      const flipped = { ...signed, [k]: flipAt(v, r.int(n)) };
      assert.equal(wxpay.verify(flipped, key, type), false, `${type}: verify accepts a flipped character in \`${k}\``);
      stats.flips++;
    }
    for (const i of new Set([0, ours.length - 1, r.int(ours.length)])) {
      assert.equal(
        wxpay.verify({ ...signed, sign: flipAt(ours, i) }, key, type),
        false,
        `${type}: verify accepts a sign flipped at ${i}`,
      );
      stats.flips++;
    }

    // Every signed builder: the XML's sign is the reference sign of the XML's own fields,
    // and verifyNotify accepts the notification with the order's identity expected.
    for (const b of BUILDERS) {
      const input = builderInput(p, b.fixed);
      const sent = wxpay.parseXml(b.build(input, key, type), BIG);
      const { sign, ...rest } = sent;
      assert.equal(sign, refSign(rest, key, type), `${type}: ${b.name} sign differs from the reference`);
      for (const [k, v] of Object.entries(input)) assert.equal(sent[k], text(v), `${type}: ${b.name} changed \`${k}\``);
      stats.builders++;
    }
    const notify = BUILDERS.find((b) => b.name === 'buildNotifyXml');
    const input = builderInput(p, notify.fixed);
    const got = wxpay.verifyNotify(notify.build(input, key, type), {
      key,
      maxBytes: BIG.maxBytes,
      appid: 'wx1',
      mchId: '2',
      outTradeNo: 'A-1|*_b',
      totalFee: 1,
    });
    assert.equal(got.paid, true, `${type}: verifyNotify(buildNotifyXml(…)) is not paid`);
  }
}

/** Runs `check` on every seeded set; a failure names its seed and how to replay it. */
function forEachSeed(check) {
  for (let i = 0; i < SETS; i++) {
    const seed = (SEED + i) >>> 0;
    try {
      check(seed);
    } catch (e) {
      e.message = `seed ${seed} (set ${i}): ${e.message}\n  replay: DIFF_SEED=${seed} DIFF_SETS=1 node --test tests/js/differential.test.mjs`;
      throw e;
    }
  }
}

test(`sign matches node:crypto and peers on ${SETS} seeded sets × ${SIGN_TYPES.length} sign types; round trips and flips`, () => {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  forEachSeed(checkSet);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  console.log(
    `# differential: ${stats.sets} sets, ${stats.compared} signs equal to the reference, ` +
      `${Object.entries(stats.peers)
        .map(([n, c]) => `${c} to ${n}`)
        .join(', ')}; ` +
      `${stats.roundTrips} XML round trips, ${stats.builders} builder round trips, ${stats.flips} flips rejected; 0 mismatches; ${(ms / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU`,
  );
  // Each peer must actually have been compared on most sets, or the restriction is too broad.
  if (SETS >= 100) {
    for (const [name, count] of Object.entries(stats.peers))
      assert.ok(count > stats.compared * 0.5, `${name} compared on only ${count} signs`);
  }
});

// ---------------------------------------------------------------------------------------
// Refund notifications. Each set becomes the `<root>` plaintext WeChat would encrypt,
// written here (not with toXml): fields on their own lines as WeChat sends them, values
// alternately in CDATA (`]]>` split across two sections) and as escaped text (`\r` as a
// character reference). It is encrypted with node:crypto as the documentation says
// (AES-256-ECB, PKCS#7, key = lowercase hex MD5 of the API key as 32 ASCII bytes), put in
// an envelope, and decrypted by the package: the fields must come back exactly.

const ENVELOPE = {
  return_code: 'SUCCESS',
  appid: 'wx2421b1c4370ec43b',
  mch_id: '10000100',
  nonce_str: 'TeqClE3i0mvn3DrK',
};
const ENVELOPE_NAMES = [...Object.keys(ENVELOPE), 'return_msg', 'req_info'];

const cdata = (v) => `<![CDATA[${v.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const escaped = (v) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

function refEncrypt(plain, key) {
  const aesKey = Buffer.from(createHash('md5').update(key, 'utf8').digest('hex'), 'ascii');
  const c = createCipheriv('aes-256-ecb', aesKey, null); // PKCS#7 padding is node's default
  return Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64');
}

const refundStats = { sets: 0, fields: 0, conflicts: 0 };

function checkRefund(seed) {
  const { p, key } = generate(seed);
  const inner = Object.fromEntries(
    Object.entries(p)
      .filter(([k]) => !ENVELOPE_NAMES.includes(k))
      .map(([k, v]) => [k, text(v)]),
  );
  const plain = `<root>\n${Object.entries(inner)
    .map(([k, v], i) => `<${k}>${(seed + i) % 2 ? cdata(v) : escaped(v)}</${k}>`)
    .join('\n')}\n</root>`;
  const reqInfo = refEncrypt(plain, key);
  assert.equal(wxpay.decryptReqInfo(reqInfo, key), plain, 'decryptReqInfo does not return the plaintext');
  const envelope = (e) =>
    `<xml>${Object.entries(e)
      .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
      .join('')}<req_info>${cdata(reqInfo)}</req_info></xml>`;
  const got = wxpay.decryptRefundNotify(envelope(ENVELOPE), {
    key,
    appid: ENVELOPE.appid,
    mchId: ENVELOPE.mch_id,
    ...BIG,
  });
  assert.deepEqual(got, { ...ENVELOPE, ...inner }, 'decryptRefundNotify fields differ from the encrypted ones');
  refundStats.sets++;
  refundStats.fields += Object.keys(inner).length;
  // An envelope that names a decrypted field with another value is refused: the envelope
  // is not protected by the key.
  const [name, value] = Object.entries(inner)[0] ?? [];
  if (name !== undefined) {
    let err;
    try {
      wxpay.decryptRefundNotify(envelope({ ...ENVELOPE, [name]: `${value}x` }), { key, ...BIG });
    } catch (e) {
      err = e;
    }
    assert.equal(err?.code, 'DUPLICATE_FIELD', `an envelope contradicting \`${name}\` was accepted`);
    refundStats.conflicts++;
  }
}

test(`refund notifications encrypted with node:crypto decrypt to the same fields on ${SETS} seeded sets`, () => {
  forEachSeed(checkRefund);
  console.log(
    `# differential refunds: ${refundStats.sets} notifications encrypted by node:crypto and decrypted to the same fields ` +
      `(${refundStats.fields} fields), ${refundStats.conflicts} contradicting envelopes refused; 0 mismatches`,
  );
});

test('the reference itself reproduces the official documentation example', () => {
  const p = {
    appid: 'wxd930ea5d5a258f4f',
    mch_id: '10000100',
    device_info: '1000',
    body: 'test',
    nonce_str: 'ibuaiVcKdpRxkhJA',
  };
  assert.equal(refSign(p, '192006250b4c09247ec02edce69f6a2d', 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
  assert.equal(
    refSign(p, '192006250b4c09247ec02edce69f6a2d', 'HMAC-SHA256'),
    '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6',
  );
});

test('where the peers differ, they differ as the comments say', () => {
  const key = '192006250b4c09247ec02edce69f6a2d';
  // No signed field: both peers hash "&key=…", WeChat's SDK and this package "key=…".
  const empty = { a: '' };
  assert.equal(wxpay.sign(empty, key), refSign(empty, key, 'MD5'));
  assert.notEqual(peers[0].sign(empty, key, 'MD5'), wxpay.sign(empty, key));
  assert.notEqual(peers[1].sign(empty, key, 'MD5'), wxpay.sign(empty, key));
  // Array-index names: the axios plugin orders 9 before 10.
  const idx = { 10: 'a', 9: 'b' };
  assert.equal(wxpay.signingString(idx), '10=a&9=b');
  assert.equal(wxpay.sign(idx, key), refSign(idx, key, 'MD5'));
  assert.equal(peers[0].sign(idx, key, 'MD5'), wxpay.sign(idx, key));
  assert.notEqual(peers[1].sign(idx, key, 'MD5'), wxpay.sign(idx, key));
});

test('the generator is deterministic: a seed always gives the same set', () => {
  assert.deepEqual(generate(42).p, generate(42).p);
  assert.notDeepEqual(generate(42).p, generate(43).p);
});

test('the refund reference encryptor reproduces the public vectors', async () => {
  const { readFileSync } = await import('node:fs');
  const vectors = JSON.parse(readFileSync(new URL('../fixtures/wxpay-v2-public.json', import.meta.url), 'utf8'));
  const cases = vectors.filter((v) => v.kind === 'refund_notify' && v.req_info);
  assert.ok(cases.length >= 3);
  for (const v of cases) assert.equal(refEncrypt(v.expected_plaintext, v.key), v.req_info, v.id);
});
