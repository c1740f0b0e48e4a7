// Times wxpay-wasm (the pkg/ built by `node scripts/build-pkg.mjs`) against the Node SDKs
// on the calls a payment server makes, and prints medians and ratios. Each case's
// results are checked equal to ours first (cases.mjs), so no row compares different work.
//
//   make bench                      # builds pkg/, then runs this
//   node bench/run.mjs [filter]     # only cases whose name contains `filter`
//
// Numbers are reported, never asserted: a slow machine must not fail anything.
import { measure, do_not_optimize } from 'mitata';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { cases } from './cases.mjs';

const filter = process.argv[2] ?? '';
const pkgDir = fileURLToPath(new URL('../pkg/', import.meta.url));

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function time(f) {
  const stats = await measure(() => do_not_optimize(f()), { min_cpu_time: 400e6 });
  return stats.p50;
}

const rows = [];
for (const c of cases.filter((c) => c.name.includes(filter))) {
  c.check();
  const ours = await time(c.ours);
  for (const [peer, f] of Object.entries(c.peers)) {
    const theirs = await time(f);
    rows.push([c.name, peer, fmt(theirs), fmt(ours), `${(theirs / ours).toFixed(2)}×`]);
  }
  process.stderr.write(`. ${c.name}\n`);
}

/** Fresh-process cost: `node -e 0` vs importing the package and making one call. */
function startup(runs = 21) {
  const first = `const wx = require(${JSON.stringify(`${pkgDir}node/index.cjs`)}); wx.sign({ a: '1' }, 'k');`;
  const base = [];
  const withPkg = [];
  for (let i = 0; i < runs; i++) {
    for (const [args, out] of [[['-e', '0'], base], [['-e', first], withPkg]]) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args);
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return { base: median(base), withPkg: median(withPkg) };
}

const wasm = readFileSync(`${pkgDir}node/wxpay_wasm_bg.wasm`);
const head = ['case', 'peer', 'peer median', 'ours median', 'ours is N× faster'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

let rustc = '?';
try { rustc = execFileSync('rustc', ['--version']).toString().trim(); } catch { /* not needed to run */ }
console.log(`\nmachine: ${cpus()[0]?.model ?? '?'} ×${cpus().length}, ${process.platform}-${process.arch}; Node ${process.version}; ${rustc}; ${new Date().toISOString().slice(0, 10)}`);
console.log(`wasm: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzip -9`);
if (!filter) {
  const s = startup();
  console.log(`first call (median of 21 fresh processes): node -e 0 ${s.base.toFixed(1)} ms; require + first sign ${s.withPkg.toFixed(1)} ms; difference ${(s.withPkg - s.base).toFixed(1)} ms`);
}
