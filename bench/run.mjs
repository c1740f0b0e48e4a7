// Times wxpay-wasm (the pkg/ built by `node scripts/build-pkg.mjs`) against the Node SDKs
// on the calls a payment server makes, and prints medians and ratios. Each case's
// results are checked equal to ours first (cases.mjs for v2, cases-v3.mjs for v3), so no
// row compares different work. Then every target of issue 15 (speed ratios, download
// sizes, first call, scaling) is printed once with met/missed.
//
//   make bench                      # builds pkg/, then runs this
//   node bench/run.mjs [filter]     # only cases whose name contains `filter`
//   WXPAY_BENCH_PKG=/tmp/pkg-before node bench/run.mjs   # another build (see pkg.mjs)
//
// Numbers are reported, never asserted: a slow machine must not fail anything.
import { measure, do_not_optimize } from 'mitata';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { cases as v2Cases } from './cases.mjs';
import { v3Cases } from './cases-v3.mjs';
import { PKG_URL } from './pkg.mjs';

const filter = process.argv[2] ?? '';
const pkgDir = fileURLToPath(PKG_URL);

const fmt = (ns) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const ROUNDS = 3;
const v3 = v3Cases();
if (v3.reason) process.stderr.write(`v3 rows skipped: ${v3.reason}\n`);
const cases = [...v2Cases, ...v3.cases];

/**
 * Median time per call of each function. They are measured in turns, ROUNDS times, and
 * each one's result is the median of its rounds: on a shared machine the load drifts,
 * and turns keep a drift from landing on one side of a ratio only.
 */
async function times(fns) {
  const samples = fns.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, f] of fns.entries()) {
      // mitata awaits a function whose result is a Promise (the v3 calls are async); the
      // sync ones go through do_not_optimize so their result is not optimised away.
      const job = f() instanceof Promise ? f : () => do_not_optimize(f());
      samples[i].push((await measure(job, { min_cpu_time: 150e6 })).p50);
    }
  }
  return samples.map(median);
}

const rows = [];
/** Issue 15's targets, one line each: [target, measured, goal, met/missed]. */
const goals = [];
const verdict = (ok) => (ok ? 'met' : 'missed');
/** Median per case name, for the scaling lines. */
const oursMedian = {};
for (const c of cases.filter((c) => c.name.includes(filter))) {
  await c.check();
  const peers = Object.entries(c.peers);
  const [ours, ...theirs] = await times([c.ours, ...peers.map(([, f]) => f)]);
  oursMedian[c.name] = ours;
  for (const [i, [peer]] of peers.entries()) {
    rows.push([c.name, peer, fmt(theirs[i]), fmt(ours), `${(theirs[i] / ours).toFixed(2)}×`]);
  }
  for (const t of c.targets ?? []) {
    const fastest = peers.reduce((best, [peer], i) => (theirs[i] < theirs[best.i] ? { peer, i } : best), {
      peer: peers[0][0],
      i: 0,
    });
    const i = t.vs === 'fastest' ? fastest.i : peers.findIndex(([peer]) => peer === t.vs);
    if (i < 0) throw new Error(`${c.name}: target peer ${t.vs} is not a peer of the case`);
    const ratio = theirs[i] / ours;
    const vs = t.vs === 'fastest' ? `the fastest peer (${peers[i][0]})` : peers[i][0];
    const goal =
      t.ratio < 1 ? `within ${(1 / t.ratio).toFixed(1)}× of it (≥ ${t.ratio.toFixed(2)}×)` : `≥ ${t.ratio.toFixed(1)}×`;
    goals.push([`${c.name} vs ${vs}`, `${ratio.toFixed(3)}×`, goal, verdict(ratio >= t.ratio)]);
  }
  process.stderr.write(`. ${c.name}\n`);
}

/**
 * Fresh-process cost, median wall time of `runs` processes each, taken in turns:
 * `node -e 0` against loading the package and making one call, for require and import.
 */
function startup(runs = 21) {
  const cjs = `require(${JSON.stringify(`${pkgDir}node/index.cjs`)}).sign({ a: '1' }, 'k');`;
  const esm = `import { sign } from ${JSON.stringify(`${pkgDir}node/index.mjs`)}; sign({ a: '1' }, 'k');`;
  const variants = {
    'node -e 0': ['-e', '0'],
    'require + first sign': ['-e', cjs],
    'node --input-type=module -e 0': ['--input-type=module', '-e', '0'],
    'import + first sign': ['--input-type=module', '-e', esm],
  };
  const ms = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(variants)) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args);
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
      ms[name].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
}

const head = ['case', 'peer', 'peer median', 'ours median', 'ours is N× faster'];
const table = (head, rows) => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
};
table(head, rows);

let rustc = '?';
try {
  rustc = execFileSync('rustc', ['--version']).toString().trim();
} catch {
  /* not needed to run */
}
console.log(
  `\nmachine: ${cpus()[0]?.model ?? '?'} ×${cpus().length}, ${process.platform}-${process.arch}; Node ${process.version}; ${rustc}; ${new Date().toISOString().slice(0, 10)}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// ---- sizes: what a runtime downloads, each file gzipped as a server would send it
const KB60 = 60 * 1024;
const gz = (rel) => gzipSync(readFileSync(join(pkgDir, rel)), { level: 9 }).length;
const raw = (rel) => statSync(join(pkgDir, rel)).size;
const sizeGoal = (what, files) => {
  const total = files.reduce((n, f) => n + gz(f), 0);
  console.log(`${what}: ${files.map((f) => `${f} ${raw(f)} B raw / ${gz(f)} B gz`).join(', ')}; total ${total} B gz`);
  goals.push([what, `${total} B gz`, `≤ ${KB60} B (60 KiB) gz`, verdict(total <= KB60)]);
};
sizeGoal('v2 download (browser/Worker: wasm + glue + entry + core)', [
  'web/wxpay_wasm_bg.wasm',
  'web/wxpay_wasm.js',
  'web/index.js',
  'core/index.js',
]);
if (existsSync(join(pkgDir, 'v3/node/wxpay_wasm_bg.wasm'))) sizeGoal('v3 wasm', ['v3/node/wxpay_wasm_bg.wasm']);

// ---- scaling: cost per field and per KB at each size; linear when the largest size's
// per-unit cost is at most 1.5× the smallest's
const scaling = (what, unit, points) => {
  const have = points.filter(([name]) => oursMedian[name] !== undefined);
  if (have.length < 2) return;
  const per = have.map(([name, n]) => oursMedian[name] / n);
  const ratio = per.at(-1) / per[0];
  goals.push([
    `${what} scaling (${have.map(([, n]) => +n.toFixed(1)).join(' / ')} ${unit})`,
    `${per.map((t) => fmt(t)).join(' / ')} per ${unit.replace(/s$/, '')}`,
    'per-unit cost at the largest ≤ 1.5× the smallest',
    verdict(ratio <= 1.5),
  ]);
};
scaling('sign MD5', 'fields', [
  ['sign MD5, 12 fields', 12],
  ['sign MD5, 50 fields', 50],
  ['sign MD5, 200 fields', 200],
]);
const notifyNames = Object.keys(oursMedian).filter((n) => /^verifyNotify \d+ B$/.test(n));
scaling(
  'v2 verifyNotify',
  'KB',
  notifyNames.map((n) => [n, Number(n.match(/\d+/)[0]) / 1024]),
);

if (!filter) {
  const s = startup();
  for (const [base, name] of [
    ['node -e 0', 'require + first sign'],
    ['node --input-type=module -e 0', 'import + first sign'],
  ]) {
    const over = s[name] - s[base];
    goals.push([
      `first call: ${name} (median of 21 fresh processes)`,
      `+${over.toFixed(1)} ms (${s[name].toFixed(1)} vs ${s[base].toFixed(1)} ms for \`${base}\`)`,
      '≤ +15 ms',
      verdict(over <= 15),
    ]);
  }
}
console.log('\nIssue 15 targets (this run; one machine, same inputs; ratios move with the load):');
table(['target', 'measured', 'goal', 'result'], goals);
