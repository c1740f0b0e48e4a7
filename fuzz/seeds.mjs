// Writes the fuzz seed corpus from the shared vectors (tests/fixtures/wxpay-v2-public.json)
// into fuzz/corpus/<target>/ (gitignored; regenerated on every run, cheap).
//   node fuzz/seeds.mjs
// Each seed is a real WeChat message in the input format of its target, so the fuzzer
// starts from documents that get past parsing and signature checks, and mutates from there.
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = JSON.parse(readFileSync(join(here, '../tests/fixtures/wxpay-v2-public.json'), 'utf8'));

function sign(fields, key, type) {
  const s = `${Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')}&key=${key}`;
  const h = type === 'HMAC-SHA256' ? createHmac('sha256', key).update(s) : createHash('md5').update(s);
  return h.digest('hex').toUpperCase();
}
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => (/^-?\d+$/.test(v) ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
    .join('')}</xml>`;

const corpus = { parse_xml: [], verify_notify: [], sign_map: [], decrypt_refund: [], parse_bill: [] };
for (const v of vectors) {
  const type = v.sign_type ?? 'MD5';
  if (v.xml) {
    corpus.parse_xml.push([v.id, v.xml]);
    corpus.verify_notify.push([v.id, `${v.key}\n${v.xml}`]);
  }
  if (v.params) {
    const params = Object.fromEntries(
      Object.entries(v.params).map(([k, val]) => [k, typeof val === 'string' ? val : String(val)]),
    );
    corpus.sign_map.push([v.id, `${type === 'MD5' ? '\0' : '\x01'}${v.key}\n${JSON.stringify(params)}`]);
    // The same fields as a signed, successful notification: it passes every check.
    const notify = { ...params, return_code: 'SUCCESS', result_code: 'SUCCESS' };
    delete notify.sign;
    notify.sign = sign(notify, v.key, type);
    corpus.parse_xml.push([`${v.id}-xml`, xmlOf(params)]);
    corpus.verify_notify.push([`${v.id}-notify`, `${v.key}\n${xmlOf(notify)}`]);
  }
  // decrypt_refund: a mode byte, key, newline, then a req_info (mode 0) or a plaintext the
  // target encrypts itself (mode 1), so mutations also reach the XML after decryption.
  if (v.req_info) corpus.decrypt_refund.push([v.id, `\0${v.key}\n${v.req_info}`]);
  if (v.expected_plaintext) corpus.decrypt_refund.push([`${v.id}-plain`, `\x01${v.key}\n${v.expected_plaintext}`]);
  if (v.kind === 'response' && v.xml) corpus.parse_bill.push([v.id, v.xml]);
}

// parse_bill: a bill composed from the documented format (header, backquoted rows, summary
// header, summary line), and WeChat's refusals as XML (added from the response vectors above).
const BILL_HEAD =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const billRow = (values) => values.map((x) => `\`${x}`).join(',');
const trade = [
  '2024-02-29 10:12:37',
  'wx2421b1c4370ec43b',
  '10000100',
  '0',
  '',
  '4200000001202402290000000001',
  'T1',
  'oUpF8uN95-Ptaags6E_roPHg7AG0',
  'JSAPI',
  'SUCCESS',
  'CMC',
  'CNY',
  '0.01',
  '0.00',
  '0',
  '0',
  '0.00',
  '0.00',
  '',
  '',
  '咖啡, 大杯',
  '',
  '0.00000',
  '0.60%',
  '0.01',
  '0.00',
  '',
];
const BILL_SUM = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
corpus.parse_bill.push([
  'bill',
  [BILL_HEAD, billRow(trade), BILL_SUM, billRow(['1', '0.01', '0.00', '0.00', '0.00000', '0.01', '0.00'])].join(
    '\r\n',
  ) + '\r\n',
]);
corpus.parse_bill.push(['no-bill', '<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg></xml>']);

// v3: the fixtures of tests/fixtures/v3 in each v3 target's input format.
const g = JSON.parse(readFileSync(join(here, '../tests/fixtures/v3/generated.json'), 'utf8'));
const o = JSON.parse(readFileSync(join(here, '../tests/fixtures/v3/official.json'), 'utf8'));
Object.assign(corpus, { v3_keys: [], v3_notify: [], v3_verify: [], v3_parsers: [], v3_json: [] });
const pemDer = (pem) =>
  Buffer.from(
    pem
      .split('\n')
      .filter((l) => !l.startsWith('-----'))
      .join(''),
    'base64',
  );
for (const [name, k] of Object.entries(g.keys))
  for (const f of ['private_pkcs8', 'private_pkcs1', 'public_spki', 'public_pkcs1'])
    corpus.v3_keys.push([`${name}-${f}`, k[f]]);
for (const [name, c] of Object.entries(g.certificates))
  corpus.v3_keys.push([`cert-${name}`, c.pem], [`cert-${name}-der`, pemDer(c.pem)]);
for (const [name, pem] of Object.entries(g.bad_keys)) corpus.v3_keys.push([`bad-${name}`, pem]);
corpus.v3_keys.push(['go-cert', o.go_signer.certificate_pem], ['java-cert', o.java_keys.platform_certificate_pem]);
g.callbacks.forEach((c, i) => {
  corpus.v3_notify.push([`cb${i}`, Buffer.concat([Buffer.from([0]), Buffer.from(g.api_v3_key), Buffer.from(c.body)])]);
  corpus.v3_notify.push([
    `cb${i}-plain`,
    Buffer.concat([Buffer.from([3]), Buffer.from(g.api_v3_key), Buffer.from(c.plaintext)]),
  ]);
});
[...g.responses, ...g.callbacks].forEach((c, i) => {
  const head = c.headers
    .map(
      ([n, v]) =>
        `${n}:${/serial/i.test(n) ? 'KNOWN' : n.toLowerCase().endsWith('timestamp') ? String(1735689600) : v}`,
    )
    .join('\n');
  corpus.v3_verify.push([`r${i}`, `${head}\n\n${c.body}`]);
});
const sel = (n, text) => Buffer.concat([Buffer.from([n]), Buffer.from(text)]);
g.authorization.forEach((a, i) => {
  corpus.v3_parsers.push([`auth${i}`, sel(0, a.header)]);
});
const jsapi = {
  appid: g.appid,
  mchid: g.mchid,
  description: 'd',
  out_trade_no: '1217752501201407033233368018',
  notify_url: 'https://example.com/n',
  amount: { total: 1, currency: 'CNY' },
  payer: { openid: 'o' },
};
corpus.v3_parsers.push(
  ['jsapi', sel(1, JSON.stringify(jsapi))],
  ['q1', sel(2, '{"out_trade_no":"123456","mchid":"1"}')],
  ['q2', sel(3, '{"transaction_id":"123","mchid":"1"}')],
  ['close', sel(4, '{"out_trade_no":"123456","mchid":"1"}')],
  ['refund', sel(5, '{"out_trade_no":"123456","out_refund_no":"R1","amount":{"refund":1,"total":2,"currency":"CNY"}}')],
  ['rq', sel(6, '{"out_refund_no":"R1"}')],
  ['certs', sel(7, g.certificates_response.body)],
  ['err', sel(8, '{"code":"PARAM_ERROR","message":"m","detail":{"field":"/a"}}')],
  ['json', sel(9, g.callbacks[0].body)],
);
// v3_json: every JSON document the fixtures hold, as WeChat writes them.
g.callbacks.forEach((c, i) => {
  corpus.v3_json.push([`cb${i}`, c.body], [`cb${i}-plain`, c.plaintext]);
});
corpus.v3_json.push(
  ['certs', g.certificates_response.body],
  ['jsapi', JSON.stringify(jsapi)],
  ['err', '{"code":"PARAM_ERROR","message":"m","detail":{"field":"/a"}}'],
  ['numbers', '[0,-0,1.5e-7,12E+2,18446744073709551616,-9223372036854775809]'],
  ['escapes', '"\\u00e9\\ud83d\\ude00\\n\\"\\/"'],
);

for (const [target, seeds] of Object.entries(corpus)) {
  const dir = join(here, 'corpus', target);
  mkdirSync(dir, { recursive: true });
  for (const [id, data] of seeds) writeFileSync(join(dir, `seed-${id}`), data);
  console.log(`fuzz seeds: ${seeds.length} for ${target}`);
}
