// The comparisons of issue 6: the same inputs handed to wxpay-wasm (freshly built pkg/)
// and to each peer, and a `check()` per case that proves every peer did the same work
// as ours before anything is timed. run.mjs times these cases; check.mjs only checks.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { PKG_URL } from './pkg.mjs';

const require = createRequire(import.meta.url);
const wx = require(fileURLToPath(new URL('node/index.cjs', PKG_URL)));
const Tenpay = require('tenpay');
const tenpayUtil = require('tenpay/lib/util.js');
const { Hash, Transformer } = require('wechatpay-axios-plugin');
const { XMLParser } = require('fast-xml-parser');
const xml2js = require('xml2js');

export const KEY = '192006250b4c09247ec02edce69f6a2d';
const APPID = 'wxd930ea5d5a258f4f';
const MCH_ID = '10000100';

// ---------------------------------------------------------------- inputs

/** A 12-field JSAPI unified order, as a mini-program server sends it. */
export const order12 = {
  appid: APPID,
  mch_id: MCH_ID,
  nonce_str: 'ibuaiVcKdpRxkhJA5wXGnK3fjTUq2mLo',
  body: '腾讯充值中心-QQ会员充值',
  attach: 'shop=1024&coupon=none',
  out_trade_no: '20261127093000123456',
  fee_type: 'CNY',
  total_fee: 888,
  spbill_create_ip: '123.12.12.123',
  notify_url: 'https://pay.example.com/wxpay/notify',
  trade_type: 'JSAPI',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
};

/** order12 plus filler fields, for the scaling rows (50 and 200 fields). */
export function widen(n) {
  const p = { ...order12 };
  for (let i = 0; Object.keys(p).length < n; i++) p[`ext_${String(i).padStart(3, '0')}`] = `value-${i}-abcdefghij`;
  return p;
}

/** Independent reference: WeChat's rule written with node:crypto, nothing shared with ours. */
export function handSign(p, key, type = 'MD5') {
  const s =
    Object.keys(p)
      .filter((k) => k !== 'sign' && p[k] !== undefined && p[k] !== null && p[k] !== '')
      .sort()
      .map((k) => `${k}=${p[k]}`)
      .join('&') + `&key=${key}`;
  return (type === 'MD5' ? createHash('md5') : createHmac('sha256', key)).update(s).digest('hex').toUpperCase();
}

/**
 * A signed payment-result notification of about `bytes` bytes, WeChat-style (strings in
 * CDATA, numbers bare). Coupon fields pad it out, as a multi-coupon payment would.
 */
export function makeNotify(bytes) {
  const f = {
    appid: APPID,
    bank_type: 'CFT',
    cash_fee: '888',
    fee_type: 'CNY',
    is_subscribe: 'Y',
    mch_id: MCH_ID,
    nonce_str: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    out_trade_no: '20261127093000123456',
    result_code: 'SUCCESS',
    return_code: 'SUCCESS',
    time_end: '20261127093512',
    total_fee: '888',
    trade_type: 'JSAPI',
    transaction_id: '4200001234202611271234567890',
    attach: 'shop=1024&coupon=none',
  };
  const toXml = (o) =>
    '<xml>' +
    Object.entries(o)
      .map(([k, v]) => (/^\d+$/.test(v) ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
      .join('') +
    '</xml>';
  let i = 0;
  while (toXml({ ...f, sign: 'X'.repeat(32) }).length < bytes - 100) {
    f[`coupon_id_${i}`] = `1000${String(i).padStart(6, '0')}abcdefghijklmnop`;
    f[`coupon_type_${i}`] = 'CASH';
    // Long values keep the 64 KB document under our 1000-field limit.
    if (bytes > 4096)
      f[`coupon_desc_${i}`] = `满100减10 · coupon ${i} ·${' valid in all shops of the merchant;'.repeat(5)}`;
    f[`coupon_fee_${i}`] = String(1 + i);
    i++;
  }
  f.coupon_count = String(i);
  const fields = { ...f, sign: handSign(f, KEY) };
  return { xml: toXml(fields), fields };
}

export const notify1k = makeNotify(1024);
export const notify8k = makeNotify(8 * 1024);
export const notify64k = makeNotify(60 * 1024); // under the default 64 KiB limit of ours

// ---------------------------------------------------------------- peers

const tenpay = new Tenpay({ appid: APPID, mchid: MCH_ID, partnerKey: KEY, notify_url: order12.notify_url });
const axiosTransformer = new Transformer(MCH_ID, KEY);
const handParser = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, processEntities: true });

/**
 * tenpay's notify middleware is `_parse(xml, 'middleware_pay')`: xml2js with tenpay's
 * options, return/result codes, appid, mch_id, then the sign. Adaptation: the same steps
 * without the Promise wrapper (xml2js calls back synchronously), so the peer is timed
 * without an async hop ours does not pay either.
 */
function tenpayVerifyNotify(xml) {
  let json;
  xml2js.parseString(xml, { trim: true, explicitArray: false, explicitRoot: false }, (err, res) => {
    if (err) throw new Error('XMLDataError');
    json = res || {};
  });
  if (json.return_code !== 'SUCCESS') throw new Error(json.return_msg || 'XMLDataError');
  if (json.result_code !== 'SUCCESS') throw new Error(json.err_code || 'XMLDataError');
  if (json.appid !== tenpay.appid) throw new Error('appid不匹配');
  if (json.mch_id !== tenpay.mchid) throw new Error('mch_id不匹配');
  if (json.sign !== tenpay._getSign(json, json.sign_type)) throw new Error('sign签名错误');
  return json;
}

/** The plugin's response pipeline for a v2 reply: `[parse, verifier]`. */
function axiosVerifyNotify(xml) {
  const data = Transformer.toObject.call({}, xml);
  const out = axiosTransformer.verifier.call({ url: '/pay/notify' }, data);
  if (out instanceof Error) throw out;
  return out;
}

/** What a careful hand-written handler does: fast-xml-parser, return_code, node:crypto sign. */
function handVerifyNotify(xml) {
  const f = handParser.parse(xml).xml;
  if (f.return_code !== 'SUCCESS') throw new Error('return_code');
  const want = Buffer.from(handSign(f, KEY, f.sign.length === 64 ? 'HMAC-SHA256' : 'MD5'));
  const got = Buffer.from(f.sign);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw new Error('sign');
  return f;
}

/**
 * tenpay's `unifiedOrder()` fills defaults, then `_request` signs and builds the XML and
 * posts it. Adaptation: only the signing and building steps of `_request`, on the order
 * as given (its defaults would add a random nonce_str and a sign_type field).
 */
function tenpayBuildOrder(order) {
  const params = { ...order };
  params.sign = tenpay._getSign(params, params.sign_type);
  return tenpayUtil.buildXML(params);
}

/** The plugin's request pipeline for a v2 call: `[signer, stringify]`. */
function axiosBuildOrder(order) {
  const ctx = { method: 'POST', url: '/pay/unifiedorder' };
  return Transformer.toXml.call(ctx, axiosTransformer.signer.call(ctx, order));
}

// ---------------------------------------------------------------- cases

const neutral = new XMLParser({ parseTagValue: false, processEntities: true });
/** Two XML bodies carry the same fields (the peers indent, order and quote differently). */
function sameXmlFields(a, b, label) {
  assert.deepEqual(neutral.parse(a).xml, neutral.parse(b).xml, label);
}

function withoutPaid(o) {
  const { paid, ...rest } = o;
  assert.equal(paid, true);
  return rest;
}

const throws = (f, label) => assert.throws(f, undefined, label);

/** A notification with one signed value changed; every verifier must refuse it. */
function tampered(n) {
  return n.xml.replace('<total_fee>888</total_fee>', '<total_fee>1</total_fee>');
}

/**
 * Issue 15's targets: `{ vs, ratio }` means "ours is at least `ratio`× as fast as peer `vs`"
 * (`vs: 'fastest'`: the fastest peer of the case). run.mjs prints each with met/missed.
 */
function signCase(name, p, type, peers, targets = []) {
  const ours = () => wx.sign(p, KEY, type);
  return {
    name,
    ours,
    targets,
    peers: Object.fromEntries(Object.entries(peers).map(([peer, f]) => [peer, () => f(p)])),
    check() {
      const want = handSign(p, KEY, type);
      assert.equal(ours(), want, `${name}: ours`);
      for (const [peer, f] of Object.entries(this.peers)) assert.equal(f(), want, `${name}: ${peer}`);
    },
  };
}

const md5Peers = {
  tenpay: (p) => tenpay._getSign(p, 'MD5'),
  'wechatpay-axios-plugin': (p) => Hash.sign('MD5', p, KEY),
  'node:crypto by hand': (p) => handSign(p, KEY, 'MD5'),
};

function notifyCase(name, n, targets = []) {
  // Ours checks appid and mch_id as tenpay does, so it never does less work than a peer.
  const opts = { key: KEY, appid: APPID, mchId: MCH_ID };
  const ours = () => wx.verifyNotify(n.xml, opts);
  const peers = {
    'tenpay (xml2js)': () => tenpayVerifyNotify(n.xml),
    'wechatpay-axios-plugin (fast-xml-parser)': () => axiosVerifyNotify(n.xml),
    'fast-xml-parser + node:crypto by hand': () => handVerifyNotify(n.xml),
  };
  return {
    name,
    ours,
    peers,
    targets,
    check() {
      assert.ok(n.xml.length <= 64 * 1024, `${name}: input size`);
      assert.deepEqual(withoutPaid(ours()), n.fields, `${name}: ours`);
      for (const [peer, f] of Object.entries(peers)) assert.deepEqual({ ...f() }, n.fields, `${name}: ${peer}`);
      const bad = tampered(n);
      assert.notEqual(bad, n.xml);
      throws(() => wx.verifyNotify(bad, opts), `${name}: ours accepts a forged notification`);
      throws(() => tenpayVerifyNotify(bad), `${name}: tenpay`);
      throws(() => axiosVerifyNotify(bad), `${name}: axios-plugin`);
      throws(() => handVerifyNotify(bad), `${name}: hand`);
    },
  };
}

export const cases = [
  signCase('sign MD5, 12 fields', order12, 'MD5', md5Peers, [
    { vs: 'tenpay', ratio: 1.2 },
    { vs: 'node:crypto by hand', ratio: 1.0 },
  ]),
  signCase(
    'sign HMAC-SHA256, 12 fields',
    order12,
    'HMAC-SHA256',
    {
      tenpay: (p) => tenpay._getSign(p, 'HMAC-SHA256'),
      'wechatpay-axios-plugin': (p) => Hash.sign('HMAC-SHA256', p, KEY),
      'node:crypto by hand': (p) => handSign(p, KEY, 'HMAC-SHA256'),
    },
    [{ vs: 'wechatpay-axios-plugin', ratio: 1.2 }],
  ),
  signCase('sign MD5, 50 fields', widen(50), 'MD5', md5Peers),
  signCase('sign MD5, 200 fields', widen(200), 'MD5', md5Peers),
  notifyCase(`verifyNotify ${notify1k.xml.length} B`, notify1k, [{ vs: 'fastest', ratio: 4 }]),
  notifyCase(`verifyNotify ${notify8k.xml.length} B`, notify8k),
  notifyCase(`verifyNotify ${notify64k.xml.length} B`, notify64k),
  {
    name: 'buildUnifiedOrderXml, 12 fields',
    ours: () => wx.buildUnifiedOrderXml(order12, { key: KEY }),
    targets: [{ vs: 'fastest', ratio: 2 }],
    peers: {
      tenpay: () => tenpayBuildOrder(order12),
      'wechatpay-axios-plugin': () => axiosBuildOrder(order12),
    },
    check() {
      const ours = this.ours();
      const want = { ...order12, sign: handSign(order12, KEY) };
      for (const k in want) want[k] = String(want[k]);
      assert.deepEqual(neutral.parse(ours).xml, want, 'buildUnifiedOrderXml: ours');
      for (const [peer, f] of Object.entries(this.peers)) sameXmlFields(f(), ours, `buildUnifiedOrderXml: ${peer}`);
    },
  },
  {
    // Both generate the time stamp and a nonce on every call, as a server does.
    name: 'requestPaymentParams',
    targets: [{ vs: 'tenpay getPayParamsByPrepay', ratio: 1.0 }],
    ours: () => wx.requestPaymentParams({ appId: APPID, prepayId: 'wx201410272009395522657a690389285100', key: KEY }),
    peers: {
      'tenpay getPayParamsByPrepay': () =>
        tenpay.getPayParamsByPrepay({ prepay_id: 'wx201410272009395522657a690389285100' }, 'MD5'),
    },
    check() {
      const theirs = this.peers['tenpay getPayParamsByPrepay']();
      const { timeStamp, nonceStr } = theirs;
      const ours = wx.requestPaymentParams({
        appId: APPID,
        prepayId: 'wx201410272009395522657a690389285100',
        key: KEY,
        timeStamp,
        nonceStr,
      });
      const { timestamp, ...tenpayFields } = theirs; // tenpay adds a lower-case duplicate
      assert.deepEqual({ ...ours }, tenpayFields, 'requestPaymentParams');
      assert.equal(
        ours.paySign,
        handSign({ appId: APPID, nonceStr, package: ours.package, signType: 'MD5', timeStamp }, KEY),
      );
      const fresh = this.ours();
      assert.match(fresh.nonceStr, /^[A-Za-z0-9]{32}$/);
      assert.match(fresh.timeStamp, /^\d{10}$/);
    },
  },
];
