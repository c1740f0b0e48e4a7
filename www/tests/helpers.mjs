// Shared by the browser tests: the server, the browser, and independent reference
// computations (node:crypto only; nothing here calls the package under test).
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const VECTORS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/wxpay-v2-public.json'), 'utf8'));
export const vector = (id) => {
  const v = VECTORS.find((x) => x.id === id);
  if (!v) throw new Error(`no vector ${id}`);
  return v;
};
export const SHOTS = join(ROOT, 'tests/artifacts/screenshots');

export const DESKTOP = { width: 1200, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** WeChat's rule, written out: non-empty fields but `sign`, sorted by byte order, `&key=`. */
export function signingString(params, key) {
  const names = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '' && params[k] !== undefined && params[k] !== null)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.map((k) => `${k}=${params[k]}`).join('&') + `&key=${key}`;
}
export const md5 = (s) => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();
export const hmac = (key, s) => createHmac('sha256', key).update(s, 'utf8').digest('hex').toUpperCase();
export const signMd5 = (p, key) => md5(signingString(p, key));
export const signHmac = (p, key) => hmac(key, signingString(p, key));

/** Reads WeChat's flat XML in the test, independently of the core's parser. */
export function parseFlatXml(xml) {
  const out = {};
  for (const m of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    if (m[1] !== 'xml') out[m[1]] = m[2] ?? m[3];
  }
  return out;
}

export const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** Starts serve.mjs on a free loopback port and Chromium; `close()` stops both. */
export async function startAll() {
  const { server, url } = await startServer({ port: 0 });
  const browser = await chromium.launch(LAUNCH);
  mkdirSync(SHOTS, { recursive: true });
  return {
    url,
    origin: new URL(url).origin,
    browser,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/**
 * A fresh page (own context, so own localStorage) with every request, console error and
 * page error recorded, loaded and initialised.
 */
export async function openPage(env, viewport = DESKTOP) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(env.url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30000 });
  return { page, context, requests, problems };
}
