// The shared public vectors and independent node:crypto reference signing, for the JS
// suites. Expected values come from the fixture or from node:crypto, never from the
// package under test.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const CASES = JSON.parse(readFileSync(new URL('../fixtures/wxpay-v2-public.json', import.meta.url), 'utf8'));

/** WeChat's documented rule, written out with node:crypto. */
export function referenceSign(params, key, signType = 'MD5') {
  const text = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && params[k] !== '')
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join('&') + `&key=${key}`;
  const h = signType === 'MD5' ? createHash('md5') : createHmac('sha256', key);
  return h.update(text, 'utf8').digest('hex').toUpperCase();
}

/** A case's fields: its params, or its XML read by a minimal regex reader (not the package). */
export function fieldsOf(c) {
  if (c.params) return { ...c.params };
  const out = {};
  const body = c.xml.replace(/^[\s\S]*?<xml>/, '').replace(/<\/xml>[\s\S]*$/, '');
  for (const m of body.matchAll(/<([A-Za-z0-9_]+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    out[m[1]] = m[2] ?? m[3];
  }
  return out;
}
