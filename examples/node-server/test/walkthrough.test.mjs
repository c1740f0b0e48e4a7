// docs/guide/develop-without-wechat.md, run as a reader runs it: every block marked
// `<!-- tested: mock-… -->`, in the page's order, each in the terminal and folder the page names,
// against the package's real mock and the example server, so the page and the test cannot drift.
//
// What the test changes, and only that: the ports (the page's 127.0.0.1:9080 and :3000 become free
// ones: `--port 0` on the mock's command line, PORT=0 for the server, the URLs in the blocks
// rewritten to the ports they got, WXPAY_MOCK_URL for `mock` subcommands), a safety
// `--exit-after` / EXIT_AFTER_SECONDS, and the checkout: the page writes ./wxpay-keys, shop.db
// and certificate files, so it runs in a temp folder laid out like the repository (pkg/ linked,
// examples/node-server/ copied, its node_modules linked). Long-running blocks (the mock, the
// server) run in a bash of their own, stopped like Ctrl-C (SIGINT to that bash's process group,
// by its PID); the others in one bash per terminal, `set -e`, so the variables (NO) carry over.
// What each step must show is asserted here from the server's and the mock's own answers.
// v3 step 3: the example server receives the callback on its plain-http loopback notify_url,
// which its v3 client accepts because the client's baseUrl (the mock) is loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { taggedBlock } from '../../../tests/js/support/markdown.mjs';
import { call, waitFor } from './helpers.mjs';

const example = fileURLToPath(new URL('..', import.meta.url));
const repo = join(example, '../..');
const page = readFileSync(join(repo, 'docs/guide/develop-without-wechat.md'), 'utf8');
const block = (name) => taggedBlock(page, name);
let root,
  seq = 0;
const terminals = new Set();
let mockUrl, shopUrl;

/** The page's fixed ports → the ones this run got; a block without them is left as it is. */
const localize = (text) =>
  text
    .replaceAll('http://127.0.0.1:9080', mockUrl ?? 'http://127.0.0.1:9080')
    .replaceAll('http://127.0.0.1:3000', shopUrl ?? 'http://127.0.0.1:3000');

function env(extra = {}) {
  const e = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('WXPAY_') && !k.startsWith('npm_')),
  );
  return {
    ...e,
    TMPDIR: join(root, 'tmp'),
    npm_config_update_notifier: 'false',
    ...(mockUrl && { WXPAY_MOCK_URL: mockUrl }),
    ...extra,
  };
}
function script(text) {
  const file = join(root, 'tmp', `block-${++seq}.sh`);
  writeFileSync(file, `${text}\n`);
  return file;
}

/**
 * A block that keeps running (the mock, the server): its own bash and process group; resolves
 * with the URL it prints as `listening on http://…`. stop() is Ctrl-C: SIGINT to the group.
 */
function longRunning(text, cwd, extraEnv) {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-e', script(text)], {
      cwd: join(root, cwd),
      env: env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const t = { lines: [], exited: new Promise((r) => p.once('exit', (code, signal) => r({ code, signal }))) };
    t.stop = async () => {
      terminals.delete(t);
      if (p.exitCode !== null || p.signalCode !== null) return;
      try {
        process.kill(-p.pid, 'SIGINT');
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 10000);
      await t.exited;
      clearTimeout(timer);
    };
    terminals.add(t);
    let found = false;
    const onData = (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        t.lines.push(line);
        const m = !found && /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m) {
          found = true;
          t.url = m[1];
          resolve(t);
        }
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    t.exited.then(({ code }) => {
      if (!found) reject(new Error(`exited (${code}) before listening:\n${t.lines.join('\n')}`));
    });
    setTimeout(() => {
      if (!found) reject(new Error(`not listening within 60 s:\n${t.lines.join('\n')}`));
    }, 60000).unref();
  });
}

/** A terminal for short blocks: one bash (`set -e`) fed `. block < /dev/null`; run() gives a block's output. */
function terminal(cwd) {
  const p = spawn('bash', ['-e'], {
    cwd: join(root, cwd),
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const mark = `__walkthrough_${process.pid}__`;
  let out = '';
  let waiting = null;
  const exited = new Promise((r) => p.once('exit', (code) => r(code)));
  exited.then((code) => waiting?.reject(new Error(`the terminal's bash exited (${code}): a command failed\n${out}`)));
  const onData = (d) => {
    out += d;
    const at = out.indexOf(`${mark}\n`);
    if (at >= 0 && waiting) {
      const text = out.slice(0, at);
      out = out.slice(at + mark.length + 1);
      waiting.resolve(text);
      waiting = null;
    }
  };
  p.stdout.on('data', onData);
  p.stderr.on('data', onData);
  const t = {
    run: (text) =>
      new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        p.stdin.write(`. '${script(text)}' < /dev/null\necho; echo ${mark}\n`);
      }),
    stop: async () => {
      terminals.delete(t);
      p.stdin.end();
      const timer = setTimeout(() => {
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 10000);
      await exited;
      clearTimeout(timer);
    },
  };
  terminals.add(t);
  return t;
}

const returnMsg = (xml) => /<return_msg><!\[CDATA\[(.*?)\]\]>/.exec(xml)?.[1];
const order = async (no) => (await call(shopUrl, 'GET', `/orders/${no}`)).body;
/** The page's commands besides node and npm. */
const missing = ['bash', 'curl', 'openssl'].filter((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error);
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'wxpay-walkthrough-'));
  mkdirSync(join(root, 'tmp'));
  symlinkSync(join(repo, 'pkg'), join(root, 'pkg'), 'dir');
  const leave = new Set(['node_modules', 'test', '.gitignore']);
  cpSync(example, join(root, 'examples/node-server'), {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(example.length).replace(/^\//, '').split('/')[0];
      return !leave.has(rel) && !/^shop\.db|^dev-client-|^v3-order|^\.walkthrough-/.test(rel);
    },
  });
  symlinkSync(join(example, 'node_modules'), join(root, 'examples/node-server/node_modules'), 'dir');
});

after(async () => {
  for (const t of [...terminals]) await t.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('develop-without-wechat.md, API v2: order, pay, hostile notifications, refund to REFUNDED', { skip }, () => {
  let mock, shop, t3;

  test('1. the mock starts (terminal 1, repository root)', async () => {
    const text = block('mock-v2-start');
    assert.match(text, /cli\.mjs mock /);
    mock = await longRunning(text.replace('cli.mjs mock ', 'cli.mjs mock --port 0 --exit-after 600 '), '.');
    mockUrl = mock.url;
    assert.ok(
      mock.lines.some((l) => /mch_id 1900000109, appid wxd930ea5d5a258f4f/.test(l)),
      mock.lines.join('\n'),
    );
  });

  test('2. the example server starts with a client certificate (terminal 2)', async () => {
    const text = localize(block('mock-v2-shop'));
    assert.match(text, /npm start/);
    shop = await longRunning(text, '.', { PORT: '0', EXIT_AFTER_SECONDS: '600' });
    shopUrl = shop.url;
    assert.ok(
      existsSync(join(root, 'examples/node-server/dev-client-cert.pem')),
      'the certificate is made where the page says',
    );
    assert.ok(
      shop.lines.some((l) => l.includes(`WeChat Pay v2 at ${mockUrl}`)),
      shop.lines.join('\n'),
    );
  });

  let no;
  test('3. an order is created; NO holds its out_trade_no (terminal 3, repository root)', async () => {
    t3 = terminal('.');
    const out = await t3.run(localize(block('mock-v2-order')));
    const created = JSON.parse(out.trim().split('\n')[0]);
    assert.equal(created.state, 'CREATED');
    assert.equal(created.payment.package.startsWith('prepay_id=wx'), true);
    no = created.out_trade_no;
    assert.equal((await t3.run('echo "$NO"')).trim(), no);
  });

  test('4. `mock pay` pays it; the notification is answered SUCCESS and the order becomes PAID', async () => {
    await t3.run(localize(block('mock-v2-pay')));
    await waitFor(async () => (await order(no)).state === 'PAID', 'PAID');
    await waitFor(
      () => mock.lines.some((l) => /attempt 1\/16 → .*\/wxpay\/notify ← 200 SUCCESS/.test(l)),
      "the mock's log line",
    );
    assert.ok(
      shop.lines.some((l) => l.includes(`notify ${no}: CREATED → PAID`)),
      shop.lines.join('\n'),
    );
  });

  test('5. the order shows PAID, one transition', async () => {
    const shown = JSON.parse(await t3.run(localize(block('mock-v2-paid'))));
    assert.equal(shown.state, 'PAID');
    assert.match(shown.transaction_id, /^4200000/);
    assert.deepEqual(
      shown.history.map((h) => [h.from_state, h.to_state, h.source]),
      [['CREATED', 'PAID', 'notify']],
    );
  });

  test('duplicate → SUCCESS twice, forged → FAIL SIGN_MISMATCH, wrong-amount → FAIL AMOUNT_MISMATCH; still one transition', async () => {
    const out = await t3.run(localize(block('mock-v2-try')));
    // Each `mock notify` prints one JSON document: { kind, replies: [{ reply: '<xml>…' }] }.
    const printed = out
      .split(/^\}$/m)
      .filter((d) => d.trim())
      .map((d) => JSON.parse(`${d}}`));
    assert.deepEqual(
      printed.map((d) => [d.kind, d.replies.map((r) => returnMsg(r.reply))]),
      [
        ['duplicate', ['OK', 'OK']],
        ['forged', ['SIGN_MISMATCH']],
        ['wrong-amount', ['AMOUNT_MISMATCH']],
      ],
    );
    const o = await order(no);
    assert.equal(o.state, 'PAID');
    assert.equal(o.history.length, 1);
  });

  test('the refund is sent with the certificate (REFUNDING), and ~5 s later the notification makes it REFUNDED', async () => {
    const asked = JSON.parse(await t3.run(localize(block('mock-v2-refund'))));
    assert.equal(asked.state, 'REFUNDING');
    assert.match(asked.out_refund_no, /^R/);
    const certMissing = () => shop.lines.some((l) => l.includes('CLIENT_CERT_UNAVAILABLE'));
    await waitFor(async () => certMissing() || (await order(no)).state === 'REFUNDED', 'REFUNDED', 30000);
    assert.ok(!certMissing(), `the refund was not sent:\n${shop.lines.join('\n')}`);
    const shown = JSON.parse(await t3.run(localize(block('mock-v2-refunded'))));
    assert.equal(shown.state, 'REFUNDED');
    assert.deepEqual(
      shown.refunds.map((r) => [r.out_refund_no, r.state]),
      [[asked.out_refund_no, 'SUCCESS']],
    );
    assert.ok(
      shop.lines.some((l) => l.includes(`order ${no} → REFUNDED`)),
      shop.lines.join('\n'),
    );
  });

  test('Ctrl-C stops the mock and the server (what the v3 steps start with)', async () => {
    await t3.stop();
    await mock.stop();
    await shop.stop();
    assert.ok(
      mock.lines.some((l) => /\[mock\] stopping \(SIGINT\)/.test(l)),
      mock.lines.join('\n'),
    );
    assert.ok(
      shop.lines.some((l) => /\[shop\] stopping \(SIGINT\)/.test(l)),
      shop.lines.join('\n'),
    );
    mockUrl = undefined;
    shopUrl = undefined;
  });
});

describe('develop-without-wechat.md, API v3: keys folder, signed order and query, the callback in the example server', {
  skip,
}, () => {
  let mock;

  test('1. the mock starts with ./wxpay-keys (terminal 1, repository root)', async () => {
    const text = block('mock-v3-start');
    assert.match(text, /cli\.mjs mock /);
    mock = await longRunning(text.replace('cli.mjs mock ', 'cli.mjs mock --port 0 --exit-after 600 '), '.');
    mockUrl = mock.url;
    const cfg = JSON.parse(readFileSync(join(root, 'wxpay-keys/wechatpay.json'), 'utf8'));
    assert.equal(cfg.mchid, '1900000109');
    assert.equal(cfg.appid, 'wxd930ea5d5a258f4f');
  });

  test('2. v3-order.mjs, saved in examples/node-server: order (NOTPAY), `mock pay`, query (SUCCESS)', async () => {
    writeFileSync(join(root, 'examples/node-server/v3-order.mjs'), localize(block('mock-v3-walkthrough')));
    const t = terminal('examples/node-server');
    const out = await t.run(localize(block('mock-v3-order')));
    const [created, unpaid, paid] = out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{"status"'))
      .map((l) => JSON.parse(l));
    assert.equal(created.status, 200);
    assert.match(created.json.prepay_id, /^wx/);
    assert.equal(unpaid.json.trade_state, 'NOTPAY');
    assert.equal(paid.json.trade_state, 'SUCCESS');
    const no = (await t.run('echo "$NO"')).trim();
    assert.match(no, /^V3\d+$/);
    assert.equal(paid.json.out_trade_no, no);
    assert.ok(!mock.lines.some((l) => /attempt 1\/16/.test(l)), '--no-notify: no callback was sent');
    await t.stop();
  });

  test('3. the example server in v3 mode receives the callback: CREATED → PAID', async () => {
    const shop = await longRunning(localize(block('mock-v3-shop')), 'examples/node-server', {
      PORT: '0',
      EXIT_AFTER_SECONDS: '600',
    });
    shopUrl = shop.url;
    try {
      assert.ok(
        shop.lines.some((l) => l.includes(`WeChat Pay v3 at ${mockUrl}`)),
        shop.lines.join('\n'),
      );
      const t = terminal('.');
      try {
        const out = await t.run(localize(block('mock-v3-callback')));
        const created = JSON.parse(out.trim().split('\n')[0]);
        assert.equal(created.state, 'CREATED', `${out}\n${shop.lines.join('\n')}`);
        assert.equal(created.payment.signType, 'RSA');
        await waitFor(async () => (await order(created.out_trade_no)).state === 'PAID', 'PAID');
        assert.ok(
          shop.lines.some((l) => l.includes(`notify ${created.out_trade_no}: CREATED → PAID`)),
          shop.lines.join('\n'),
        );
        const shown = JSON.parse(await t.run(localize(block('mock-v3-paid'))));
        assert.equal(shown.state, 'PAID');
      } finally {
        await t.stop();
      }
    } finally {
      await shop.stop();
    }
  });

  // mockproducts: the products' walk-through, in one terminal (NO carries over to the complaint).
  test('4. v3-products.mjs: a Native order paid, a transfer confirmed and one cancelled, the bill and its tampered copy, a complaint', async () => {
    writeFileSync(join(root, 'examples/node-server/v3-products.mjs'), localize(block('mock-products-script')));
    const t = terminal('examples/node-server');
    try {
      const lines = (out) =>
        out
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('{"'))
          .map((l) => JSON.parse(l));
      const [made, paid] = lines(await t.run(localize(block('mock-products-native'))));
      assert.match(made.json.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
      assert.deepEqual([paid.json.trade_type, paid.json.trade_state], ['NATIVE', 'SUCCESS']);
      const [a, aDone, b, bCancel] = lines(await t.run(localize(block('mock-products-transfer'))));
      assert.equal(a.json.state, 'WAIT_USER_CONFIRM');
      assert.ok(a.json.package_info);
      assert.equal(aDone.json.state, 'SUCCESS');
      assert.equal(b.json.state, 'WAIT_USER_CONFIRM');
      assert.equal(bCancel.json.state, 'CANCELING');
      const [bill, tampered] = lines(await t.run(localize(block('mock-products-bill'))));
      assert.deepEqual([bill.hash_type, bill.sha1_matches], ['SHA1', true]);
      assert.ok(bill.lines >= 4, 'header, the paid order, totals header and line');
      assert.equal(tampered.sha1_matches, false);
      const complaint = JSON.parse(await t.run(localize(block('mock-products-complaint'))));
      assert.equal(complaint.complaint_state, 'PENDING');
      assert.equal(complaint.complaint_order_info[0].out_trade_no, (await t.run('echo "$NO"')).trim());
    } finally {
      await t.stop();
    }
  });
});
