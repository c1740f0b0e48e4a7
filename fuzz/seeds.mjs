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
  const s = `${Object.keys(fields).filter((k) => k !== 'sign' && fields[k] !== '').sort().map((k) => `${k}=${fields[k]}`).join('&')}&key=${key}`;
  const h = type === 'HMAC-SHA256' ? createHmac('sha256', key).update(s) : createHash('md5').update(s);
  return h.digest('hex').toUpperCase();
}
const xmlOf = (f) => `<xml>${Object.entries(f).map(([k, v]) => (/^-?\d+$/.test(v) ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`)).join('')}</xml>`;

const corpus = { parse_xml: [], verify_notify: [], sign_map: [], decrypt_refund: [] };
for (const v of vectors) {
  const type = v.sign_type ?? 'MD5';
  if (v.xml) {
    corpus.parse_xml.push([v.id, v.xml]);
    corpus.verify_notify.push([v.id, `${v.key}\n${v.xml}`]);
  }
  if (v.params) {
    const params = Object.fromEntries(Object.entries(v.params).map(([k, val]) => [k, typeof val === 'string' ? val : String(val)]));
    corpus.sign_map.push([v.id, `${type === 'MD5' ? '\0' : '\x01'}${v.key}\n${JSON.stringify(params)}`]);
    // The same fields as a signed, successful notification: it passes every check.
    const notify = { ...params, return_code: 'SUCCESS', result_code: 'SUCCESS' };
    delete notify.sign;
    notify.sign = sign(notify, v.key, type);
    corpus.parse_xml.push([`${v.id}-xml`, xmlOf(params)]);
    corpus.verify_notify.push([`${v.id}-notify`, `${v.key}\n${xmlOf(notify)}`]);
  }
  // For the refund-decryption target issue 4 adds: key, newline, req_info.
  if (v.req_info) corpus.decrypt_refund.push([v.id, `${v.key}\n${v.req_info}`]);
}

for (const [target, seeds] of Object.entries(corpus)) {
  const dir = join(here, 'corpus', target);
  mkdirSync(dir, { recursive: true });
  for (const [id, data] of seeds) writeFileSync(join(dir, `seed-${id}`), data);
  console.log(`fuzz seeds: ${seeds.length} for ${target}`);
}
