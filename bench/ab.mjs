// A/B of two builds of the package in one process: the same calls, interleaved rounds,
// medians, results compared first. Machine speed here moves by 1.5× between runs, so a
// change is judged by this ratio, never by two separate `bench/run.mjs` runs.
//
//   cp -r pkg /tmp/pkg-before   # build of the commit to compare against
//   node scripts/build-pkg.mjs  # build of the change
//   node bench/ab.mjs /tmp/pkg-before pkg [rounds] [calls]
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { order12, notify1k, KEY } from './cases.mjs';
import { makeCallback, API_V3_KEY, PUB_KEY_ID, PLATFORM_PUB_PEM, APPID, MCH_ID } from './cases-v3.mjs';

const [before, after, rounds = '9', calls = '10000'] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: node bench/ab.mjs <pkg dir before> <pkg dir after> [rounds] [calls]');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const A = require(resolve(before, 'node/index.cjs'));
const B = require(resolve(after, 'node/index.cjs'));
const A3 = require(resolve(before, 'v3/node/index.cjs'));
const B3 = require(resolve(after, 'v3/node/index.cjs'));

const notifyOpts = { key: KEY, appid: notify1k.fields.appid, mchId: notify1k.fields.mch_id };
const payOpts = {
  appId: 'wx2421b1c4370ec43b',
  prepayId: 'wx201410272009395522657a690389285100',
  key: KEY,
  timeStamp: '1414561699',
  nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
};
const cases = {
  'sign MD5, 12 fields': (w) => () => w.sign(order12, KEY),
  'sign HMAC-SHA256, 12 fields': (w) => () => w.sign(order12, KEY, 'HMAC-SHA256'),
  'verifyNotify 1 KB': (w) => () => JSON.stringify(w.verifyNotify(notify1k.xml, notifyOpts)),
  'buildUnifiedOrderXml, 12 fields': (w) => () => w.buildUnifiedOrderXml(order12, { key: KEY }).length,
  'requestPaymentParams (fixed nonce)': (w) => () => JSON.stringify(w.requestPaymentParams(payOpts)),
};
// v3 calls are async; the callback is made once (its timestamp stays inside the 300 s window
// for a run of a few minutes).
const cb = makeCallback(1024);
const v3Opts = {
  apiV3Key: API_V3_KEY,
  publicKeys: { [PUB_KEY_ID]: PLATFORM_PUB_PEM },
  appid: APPID,
  mchId: MCH_ID,
  total: 100,
};
const { resource } = JSON.parse(cb.body);
const v3Cases = {
  'v3 verifyNotify 1 KB': (w) => async () => JSON.stringify(await w.verifyNotify(cb.body, cb.headers, v3Opts)),
  'v3 decryptResource': (w) => () => w.decryptResource(resource, API_V3_KEY),
};

// The v2 rows are timed without an await per call, which would add the same microtask to both.
const timeSync = (f, n) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t) / n;
};
const timeAsync = async (f, n) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await f();
  return Number(process.hrtime.bigint() - t) / n;
};
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const all = [
  ...Object.entries(cases).map(([n, make]) => [n, make(A), make(B), timeSync]),
  ...Object.entries(v3Cases).map(([n, make]) => [n, make(A3), make(B3), timeAsync]),
];
for (const [name, fa, fb, time] of all) {
  if ((await fa()) !== (await fb())) throw new Error(`${name}: the two builds give different results`);
  const ta = [],
    tb = [];
  for (let r = 0; r < Number(rounds); r++) {
    ta.push(await time(fa, Number(calls)));
    tb.push(await time(fb, Number(calls)));
  }
  const [a, b] = [median(ta), median(tb)];
  console.log(
    `${name}: before ${(a / 1000).toFixed(2)} µs, after ${(b / 1000).toFixed(2)} µs, after/before ${(b / a).toFixed(3)}`,
  );
}
