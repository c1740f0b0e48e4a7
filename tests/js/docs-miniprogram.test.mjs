// docs/guide/miniprogram.md's blocks marked `<!-- tested: mp-… -->`, run as written against the
// package's mock: joined in the page's order into one ES module (their import lines gathered at
// the top, one per module), run by Node in a folder where `wxpay-wasm` is the built pkg/, with
// the environment the page names (MP_APPID, MP_SECRET, MP_APP_KEY, MP_BASE_URL, MP_PUSH_TOKEN,
// MP_PUSH_AES_KEY, WXPAY_KEY) taken from the mock's own settings. The module prints what the
// blocks computed; the mock's control interface says what the calls did, and the payment
// parameters are checked with node:crypto from WeChat's documented rule.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import wx from '../../pkg/node/index.mjs';
import { createMock } from '../../js/mock/server.mjs';
import { loadV3Keys } from '../../js/mock/v3keys.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = readFileSync(join(root, 'docs/guide/miniprogram.md'), 'utf8');
const KEY = '192006250b4c09247ec02edce69f6a2d';
const APPID = 'wxd930ea5d5a258f4f';
const HAS_ENTRY = existsSync(join(root, 'pkg/miniprogram'));
const cleanup = [];
after(() => {
  for (const f of cleanup) f();
});

/** The tested blocks in page order; every mark must be followed by a js block. */
function blocks(markdown) {
  const found = [...markdown.matchAll(/<!-- tested: (mp-[\w-]+) -->\n```js\n([\s\S]*?)\n```/g)].map((m) => ({
    name: m[1],
    code: m[2],
  }));
  const marks = [...markdown.matchAll(/<!-- tested: ([^ ]+) -->/g)].map((m) => m[1]);
  assert.deepEqual(
    found.map((b) => b.name),
    marks,
    'every tested mark is followed by a js block',
  );
  return found;
}

/** One module: the blocks' `import { … } from '…'` lines merged per module at the top, then the blocks. */
export function program(list, report) {
  const imports = new Map();
  const bodies = list.map(
    ({ name, code }) =>
      `// --- ${name}\n${code.replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names, from) => {
        const set = imports.get(from) ?? new Set();
        for (const n of names.split(',')) set.add(n.trim());
        imports.set(from, set);
        return '';
      })}`,
  );
  assert.ok(!bodies.some((b) => /^import /m.test(b)), 'tested blocks import with `import { … } from …` only');
  const head = [...imports].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`);
  return `${head.join('\n')}\n${bodies.join('\n')}\nconsole.log(JSON.stringify(${report}));\n`;
}

test('every tested block of the page is a js block, in the order the program runs them', () => {
  const names = blocks(PAGE).map((b) => b.name);
  assert.deepEqual(names, [
    'mp-setup',
    'mp-user-logs-in',
    'mp-login',
    'mp-token',
    'mp-order',
    'mp-ship',
    'mp-push-handler',
    'mp-user-receives',
    'mp-xpay',
  ]);
});

test("docs/guide/miniprogram.md's blocks run against the mock: login, token, order, shipping, push, xpay", {
  skip: HAS_ENTRY ? false : 'pkg/ has no miniprogram entry (build the package with wxpay-wasm/miniprogram)',
}, async () => {
  const v3Keys = loadV3Keys(undefined, { mchid: '1900000109', appid: APPID });
  const mock = createMock({ wx, key: KEY, appid: APPID, mchId: '1900000109', v3Keys, log: () => {} });
  const base = await mock.listen(0);
  cleanup.push(() => rmSync(v3Keys.dir, { recursive: true, force: true }));
  try {
    const settings = await (await fetch(`${base}/_mock/miniprogram`)).json();
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-docs-mp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(root, 'pkg'), join(dir, 'node_modules/wxpay-wasm'), 'dir');
    const report =
      '{ openid, hasSessionKey: typeof session_key === "string", token: typeof token, payment, transactionId, shippedState: shipped.order_state, settled, balance, spentBalance: spent.balance }';
    writeFileSync(join(dir, 'guide.mjs'), program(blocks(PAGE), report));
    const env = {
      PATH: process.env.PATH,
      MP_APPID: settings.appid,
      MP_SECRET: settings.secret,
      MP_APP_KEY: settings.appKey,
      MP_BASE_URL: base,
      MP_PUSH_TOKEN: 'docsPushToken1',
      MP_PUSH_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      WXPAY_KEY: KEY,
    };
    // Asynchronously: the mock answers in this process, which must not block while the blocks run.
    const out = await new Promise((resolve, reject) =>
      execFile(process.execPath, ['guide.mjs'], { cwd: dir, env, timeout: 60000 }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const r = JSON.parse(out.trim().split('\n').at(-1));
    assert.equal(r.openid, 'oDocsUser_1');
    assert.ok(r.hasSessionKey);
    assert.equal(r.token, 'string');
    // wx.requestPayment's paySign: MD5 over the sorted fields and the key, upper-case (WeChat's rule).
    const { paySign, ...signed } = r.payment;
    const text = Object.keys(signed)
      .sort()
      .map((k) => `${k}=${signed[k]}`)
      .join('&');
    assert.equal(paySign, createHash('md5').update(`${text}&key=${KEY}`).digest('hex').toUpperCase());
    assert.equal(r.shippedState, 2);
    assert.deepEqual(r.settled, [r.transactionId], 'the settlement push reached the handler');
    const order = await (await fetch(`${base}/_mock/miniprogram/orders/${r.transactionId}`)).json();
    assert.equal(order.order_state, 3);
    const pushes = await (await fetch(`${base}/_mock/miniprogram/pushes`)).json();
    const settlement = pushes.find((x) => x.event === 'trade_manage_order_settlement');
    assert.equal(settlement?.acknowledged, true, JSON.stringify(pushes));
    assert.equal(r.balance, 100);
    assert.equal(r.spentBalance, 70);
  } finally {
    await mock.close();
  }
});

test('the page is linked from the README', () => {
  assert.match(readFileSync(join(root, 'README.md'), 'utf8'), /\(docs\/guide\/miniprogram\.md\)/);
});
