// The generated types of the whole v3 API (js/types/v3-paths.d.ts): what scripts/gen-v3-types.mjs
// writes from spec/v3.json today, byte for byte; every operation of the spec reachable by its URL
// through the call types' segment walk (js/types/v3-calls.d.ts), as a template and as a concrete URL;
// a literal segment preferred to a parameter; and the fields the spec marks as carried encrypted
// named with `@sensitive` where they stand.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OUT, render, SENSITIVE, SPEC } from '../../scripts/gen-v3-types.mjs';
import { compileModule } from './support/tsc.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const spec = JSON.parse(readFileSync(SPEC, 'utf8'));
const generated = readFileSync(OUT, 'utf8');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
  METHODS.filter((m) => ops[m]).map((method) => ({ method, path })),
);

test('js/types/v3-paths.d.ts is what scripts/gen-v3-types.mjs writes from spec/v3.json, byte for byte', async () => {
  assert.equal(generated, await render(spec), 'out of date: run `node scripts/gen-v3-types.mjs` and commit the file');
});

test('the header names the source, its commit and the licence; every path of the spec is typed', () => {
  const head = generated.slice(0, 2000);
  assert.match(head, /generated: do not edit/);
  assert.ok(head.includes(spec.source.repository) && head.includes(spec.source.commit));
  assert.match(head, /MIT.*Copyright \(c\) 2020-present James ZHANG\(TheNorthMemory\)/);
  assert.match(head, /spec\/NOTICE\.md/);
  assert.equal(operations.length, 992);
  for (const path of Object.keys(spec.paths)) assert.ok(generated.includes(`\n  ${JSON.stringify(path)}: {\n`), path);
});

/** The text of the generated doc comment right above a property `name` inside the block of `path`. */
function docAbove(path, name) {
  const start = generated.indexOf(`\n  ${JSON.stringify(path)}: {\n`);
  const end = generated.indexOf('\n  };\n', start);
  const block = generated.slice(start, end);
  const at = block.search(new RegExp(`\\n\\s*${name}\\??: `));
  assert.ok(start >= 0 && at >= 0, `${path} ${name}`);
  const before = block.slice(0, at);
  return before.slice(before.lastIndexOf('/**'));
}

test('fields carried encrypted are named @sensitive: by x-is-sensitive and by format base64, request and answer', () => {
  // x-is-sensitive on the object (a request): the contact's name of 特约商户进件.
  assert.ok(docAbove('/v3/applyment4sub/applyment/', 'contact_name').includes(SENSITIVE.request));
  // format: base64 (a request): the payee's name of 发起转账.
  assert.ok(docAbove('/v3/fund-app/mch-transfer/transfer-bills', 'user_name').includes(SENSITIVE.request));
  // An answer: the complainant's phone of 查询投诉单列表.
  assert.ok(docAbove('/v3/merchant-service/complaints-v2', 'payer_phone').includes(SENSITIVE.answer));
  // The certificate's ciphertext is AEAD with the APIv3 key, not RSA.
  assert.ok(docAbove('/v3/certificates', 'ciphertext').includes(SENSITIVE.resource));
  // A field that is not carried encrypted has no such line.
  assert.ok(!docAbove('/v3/fund-app/mch-transfer/transfer-bills', 'openid').includes('@sensitive'));
  // As many marks as the spec has sensitive fields written inline or shared (a $ref field keeps the
  // referred schema's), query parameters included; not inside an upload's `meta` (`x-json`: a string).
  let marked = 0;
  const walk = (x) => {
    if (!x || typeof x !== 'object') return;
    if (x['x-json']) return walk({ ...x, 'x-json': undefined });
    if (x.properties) {
      const listed = x['x-is-sensitive'];
      const names = new Set(Array.isArray(listed) ? listed : listed ? [listed] : []);
      for (const [k, v] of Object.entries(x.properties)) if (v?.format === 'base64') names.add(k);
      marked += [...names].filter((n) => x.properties[n] && !x.properties[n].$ref).length;
    }
    for (const v of Object.values(x)) walk(v);
  };
  walk(spec.paths);
  walk(spec.definitions);
  assert.equal(generated.split('* @sensitive ').length - 1, marked);
});

const dir = mkdtempSync(join(tmpdir(), 'wxpay-v3-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const compile = (name, source) => compileModule(dir, name, source);

const PRELUDE = `import type { V3PathOf } from ${JSON.stringify(join(root, 'js/v3/index.js'))};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Has<A, B> = [B] extends [A] ? true : false;
`;

test('tsc: every operation is found by its template URL, and by a concrete URL (with a query)', () => {
  const q = (s) => `'${s.replaceAll("'", "\\'")}'`;
  const checks = operations.map(({ method, path }, i) => {
    const concrete = `${path.replace(/\{[^}]+\}/g, 'X1')}?a=1`;
    return [
      `const t${i}: Same<V3PathOf<'${method}', ${q(path)}>, ${q(path)}> = true;`,
      `const c${i}: Has<V3PathOf<'${method}', ${q(concrete)}>, ${q(path)}> = true;`,
    ].join('\n');
  });
  const source = `${PRELUDE}${checks.join('\n')}\nexport {};\n`;
  assert.equal(compile('every-path.mts', source), '');
});

test('tsc: literal segments before parameters; a method or path the spec lacks finds nothing', () => {
  const close = '/v3/pay/transactions/out-trade-no/{out_trade_no}/close';
  const source = `${PRELUDE}
const close: Same<V3PathOf<'POST', '/v3/pay/transactions/out-trade-no/T1/close'>, '${close}'> = true;
const byId: Same<V3PathOf<'GET', '/v3/pay/transactions/id/4200?mchid=1'>, '/v3/pay/transactions/id/{transaction_id}'> = true;
const getClose: Same<V3PathOf<'GET', '/v3/pay/transactions/out-trade-no/T1/close'>, never> = true;
const tooLong: Same<V3PathOf<'GET', '/v3/pay/transactions/id/42/extra'>, never> = true;
const native: Same<V3PathOf<'POST', '/v3/pay/transactions/native'>, '/v3/pay/transactions/native'> = true;
const wrongName: Same<V3PathOf<'GET', '/v3/pay/transactions/id/{id}'>, never> = true;
const notLiteral: Same<V3PathOf<'GET', string>, never> = true;
// 查询退款 by out_refund_no is a parameter path; 申请退款 a literal one at the level above.
const refund: Same<V3PathOf<'GET', '/v3/refund/domestic/refunds/R1'>, '/v3/refund/domestic/refunds/{out_refund_no}'> = true;
export {};
`;
  assert.equal(compile('precedence.mts', source), '');
  // The check itself fails when it should.
  assert.match(
    compile('wrong.mts', `${PRELUDE}const x: Same<V3PathOf<'GET', '${close}'>, '${close}'> = true;\nexport {};\n`),
    /TS2322/,
  );
});
