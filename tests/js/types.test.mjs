// The shipped types against the contract (js/contract.json, generated from src/contract):
// the generated table file is what scripts/gen-types.mjs writes today; shared declarations
// live once in js/types/; nothing internal is in what ships; and, compiled by tsc --strict,
// every options type has exactly the contract's names, WxPayError exactly its details, and
// the code, cause and endpoint tables are the contract's; and each client's type names exactly
// the methods the built client has (pkg/). The rest runs on the source tree.
import { compileModule } from './support/tsc.mjs';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CONTRACT_JSON, OUT, render } from '../../scripts/gen-types.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CONTRACT = JSON.parse(readFileSync(CONTRACT_JSON, 'utf8'));
/** The declaration files the package ships, as they are in the source tree. */
const SHIPPED = [
  'js/index.d.ts',
  'js/v3/index.d.ts',
  ...readdirSync(join(root, 'js/types')).map((f) => `js/types/${f}`),
];
const text = (file) => readFileSync(join(root, file), 'utf8');

test('js/types/contract.d.ts is what scripts/gen-types.mjs writes from js/contract.json, byte for byte', () => {
  assert.equal(
    readFileSync(OUT, 'utf8'),
    render(CONTRACT),
    'out of date: run `node scripts/gen-types.mjs` and commit the file',
  );
});

/** Names a .d.ts declares itself (re-exports excluded). */
const declared = (src) =>
  new Set([...src.matchAll(/^export (?:declare )?(?:type|interface|class|function|const) (\w+)/gm)].map((m) => m[1]));

test('shared declarations are declared once: the entries re-export js/types/, never redeclare it', () => {
  const shared = new Set(SHIPPED.filter((f) => f.startsWith('js/types/')).flatMap((f) => [...declared(text(f))]));
  for (const must of [
    'WxPayError',
    'WxPayErrorCode',
    'WxPayErrorDetail',
    'ClientEvent',
    'Reconciled',
    'NotifyHandler',
    'NotifyHandlerOptionsOf',
  ]) {
    assert.ok(shared.has(must), `${must} is declared in js/types/`);
  }
  for (const entry of ['js/index.d.ts', 'js/v3/index.d.ts']) {
    const again = [...declared(text(entry))].filter((n) => shared.has(n));
    assert.deepEqual(again, [], `${entry} declares again what js/types/ declares`);
    assert.match(
      text(entry),
      /export \{ WxPayError \} from '(\.\.\/|\.\/)types\/shared\.js';/,
      `${entry} re-exports the one WxPayError`,
    );
  }
});

/** What a user of the package must never read in its types: our issue numbers, repository paths, internal tags. */
const INTERNAL = [
  [/\bissue\s*#?\d+/i, 'an issue number'],
  [/\b(?:src|tests?|scripts|docs|examples|bench|fuzz|www)\/[\w./-]*/, 'a repository path'],
  [/\bjs\/(?:core|v2|v3|client|mock|cli|types)\b|\bjs\/\w+\.(?:js|mjs|json)\b/, 'a repository path'],
  [/\bcontract\.json\b|\.rs\b/, 'a source file of the repository'],
  [/@internal\b/, 'an @internal tag'],
];

test('nothing internal in the shipped types: no issue numbers, repository paths or @internal', () => {
  const found = [];
  for (const file of SHIPPED) {
    text(file)
      .split('\n')
      .forEach((line, i) => {
        for (const [re, what] of INTERNAL) if (re.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim()}`);
      });
  }
  assert.deepEqual(found, []);
  // The scan itself: it finds what it is for.
  assert.ok(INTERNAL.some(([re]) => re.test('// ---- the client (issue 13)')));
  assert.ok(INTERNAL.some(([re]) => re.test('exactly the names src/contract/v3.rs CLIENT lists')));
});

test("every `maxBytes` the types document quotes the contract's limits", () => {
  const { maxBytesDefault, maxBytesCeiling } = CONTRACT.limits;
  let seen = 0;
  for (const file of SHIPPED) {
    for (const m of text(file).matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*maxBytes\?:/g)) {
      // The v3 client's downloads cap a file, not a parsed body: their own limit (docs/guide/bills-and-files.md).
      if (/^\s*Download limit:/.test(m[1])) continue;
      seen += 1;
      assert.match(m[1], new RegExp(`\\b${maxBytesDefault}\\b`), `${file}: ${m[1].trim()}`);
      assert.match(m[1], new RegExp(`\\b${maxBytesCeiling}\\b`), `${file}: ${m[1].trim()}`);
    }
  }
  assert.ok(seen >= 4, `only ${seen} documented maxBytes options found`);
});

// ---- compiled: the types agree with the contract

const dir = mkdtempSync(join(tmpdir(), 'wxpay-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** tsc --strict over one module: '' when it compiles, else each error with the check it is on. */
const compile = (name, source) => compileModule(dir, name, source);

const lit = (names) => (names.length ? names.map((n) => `'${n}'`).join(' | ') : 'never');
const PRELUDE = `import * as v2 from ${JSON.stringify(join(root, 'js/index.js'))};
import * as v3 from ${JSON.stringify(join(root, 'js/v3/index.js'))};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Last<T extends unknown[]> = T extends [...unknown[], infer L] ? L : never;
/** The option names of a function's last parameter. */
type OptionsOf<F> = F extends (...args: infer A) => unknown ? keyof NonNullable<Last<Required<A>>> : never;
`;

/** One assertion per table of the contract: \`const x: Same<…> = true\`. */
function contractChecks() {
  const out = [];
  const check = (label, a, b) => out.push(`const ${label.replace(/\W/g, '_')}: Same<${a}, ${b}> = true;`);
  for (const family of ['v2', 'v3']) {
    for (const [fn, names] of Object.entries(CONTRACT.functions[family]))
      check(`${family}_${fn}`, `OptionsOf<typeof ${family}.${fn}>`, lit(names));
    check(`${family}_createClient`, `keyof ${family}.ClientOptions`, lit(CONTRACT.client[family].createClient));
    check(
      `${family}_createClient_param`,
      `OptionsOf<typeof ${family}.createClient>`,
      lit(CONTRACT.client[family].createClient),
    );
    check(
      `${family}_createNotifyHandler`,
      `OptionsOf<${family}.Client['createNotifyHandler']>`,
      lit(CONTRACT.client[family].createNotifyHandler),
    );
    check(`${family}_codes`, `${family}.WxPayErrorCode`, lit(CONTRACT.codes.map((c) => c.code)));
    check(`${family}_details`, `Exclude<keyof ${family}.WxPayError, keyof Error | 'code'>`, lit(CONTRACT.details));
    check(`${family}_detailNames`, `${family}.WxPayErrorDetail`, lit(CONTRACT.details));
  }
  check('v2_causes', 'v2.DiagnosisCause', lit(CONTRACT.causes.map((c) => c.cause)));
  check('v2_apiNames', 'v2.ApiName', lit(CONTRACT.endpoints.v2.map((e) => e.name)));
  for (const e of CONTRACT.endpoints.v2)
    check(`v2_path_${e.name}`, `(typeof v2.API_PATHS)['${e.name}']`, `'${e.path}'`);
  check(
    'v2_certApis',
    '(typeof v2.CLIENT_CERT_APIS)[number]',
    lit(CONTRACT.endpoints.v2.filter((e) => e.clientCert).map((e) => e.name)),
  );
  out.push('const oneClass: typeof v2.WxPayError = v3.WxPayError;', 'void oneClass;');
  return out;
}

test("tsc --strict: options, client options, error codes, details, causes and endpoints are exactly the contract's", () => {
  const checks = contractChecks();
  assert.ok(checks.length > 40, `only ${checks.length} checks`);
  const source = `${PRELUDE}${checks.join('\n')}\nexport {};\n`;
  // Each error shown with the check it is on, e.g. `const v2_createClient: Same<keyof v2.ClientOptions, …> = true;`.
  const errors = compile('contract-check.mts', source);
  assert.equal(errors, '', 'the types differ from the contract (a `false` is a check whose two sides differ)');
});

test('tsc --strict: the check fails on an option name the contract lacks, or one missing', () => {
  const names = CONTRACT.client.v2.createClient;
  const extra = compile(
    'extra.mts',
    `${PRELUDE}const x: Same<keyof v2.ClientOptions, ${lit([...names, 'timeout'])}> = true;\nexport {};\n`,
  );
  assert.match(extra, /TS2322/, extra);
  const missing = compile(
    'missing.mts',
    `${PRELUDE}const x: Same<OptionsOf<typeof v3.verifyNotify>, ${lit(CONTRACT.functions.v3.verifyNotify.slice(1))}> = true;\nexport {};\n`,
  );
  assert.match(missing, /TS2322/, missing);
});

test('tsc --strict: each Client type names exactly the methods the built client has', async () => {
  const wx = await import('../../pkg/node/index.mjs');
  const wx3 = await import('../../pkg/v3/node/index.mjs');
  const key = 'k'.repeat(32);
  const made = {
    v2: wx.createClient({ appid: 'wx1', mchId: '1900000109', key }),
    v3: wx3.createClient({
      appid: 'wx1',
      mchId: '1900000109',
      serialNo: 'S',
      privateKey: 'not parsed until used',
      apiV3Key: key,
      // A real public key: createClient reads every PEM of publicKeys at creation (issue 26).
      publicKeys: {
        PUB_KEY_ID_01: JSON.parse(readFileSync(new URL('../fixtures/v3/generated.json', import.meta.url), 'utf8')).keys
          .pubkey.public_spki,
      },
    }),
  };
  // toString and toJSON (no key in a log line) are every object's; the rest is the client's API.
  const own = (c) => Object.keys(c).filter((k) => k !== 'toString' && k !== 'toJSON');
  const checks = Object.entries(made).map(
    ([family, c]) => `const ${family}_client: Same<keyof ${family}.Client, ${lit(own(c))}> = true;`,
  );
  made.v2.close();
  const source = `${PRELUDE}${checks.join('\n')}\nexport {};\n`;
  const errors = compile('client-check.mts', source);
  assert.equal(errors, '', 'a client method without its type, or a type without its method');
});
