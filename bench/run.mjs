// Times wxpay-wasm (the pkg/ built by `node scripts/build-pkg.mjs`) against the Node SDKs
// on the calls a payment server makes, and prints medians and ratios. Each case's
// results are checked equal to ours first (cases.mjs for v2, cases-v3.mjs for v3), so no
// row compares different work. A case with a `target` peer (v3: "no slower than
// wechatpay-node-v3") also says whether ours met it in this run.
//
//   make bench                      # builds pkg/, then runs this
//   node bench/run.mjs [filter]     # only cases whose name contains `filter`
//
// Numbers are reported, never asserted: a slow machine must not fail anything.
import { measure, do_not_optimize } from 'mitata';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { cases as v2Cases } from './cases.mjs';
import { v3Cases, V3_ENTRY } from './cases-v3.mjs';

const filter = process.argv[2] ?? '';
const pkgDir = fileURLToPath(new URL('../pkg/', import.meta.url));

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
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
for (const c of cases.filter((c) => c.name.includes(filter))) {
  await c.check();
  const peers = Object.entries(c.peers);
  const [ours, ...theirs] = await times([c.ours, ...peers.map(([, f]) => f)]);
  for (const [i, [peer]] of peers.entries()) {
    const target = c.target !== peer ? '' : ours <= theirs[i] ? 'met' : 'missed';
    rows.push([c.name, peer, fmt(theirs[i]), fmt(ours), `${(theirs[i] / ours).toFixed(2)}×`, target]);
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

const wasm = readFileSync(`${pkgDir}node/wxpay_wasm_bg.wasm`);
const head = ['case', 'peer', 'peer median', 'ours median', 'ours is N× faster', 'target: no slower than'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

let rustc = '?';
try { rustc = execFileSync('rustc', ['--version']).toString().trim(); } catch { /* not needed to run */ }
console.log(`\nmachine: ${cpus()[0]?.model ?? '?'} ×${cpus().length}, ${process.platform}-${process.arch}; Node ${process.version}; ${rustc}; ${new Date().toISOString().slice(0, 10)}`);
console.log(`wasm: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzip -9`);
if (v3.cases.length) {
  const dir = new URL('.', V3_ENTRY);
  const w3 = readFileSync(new URL(readdirSync(dir).find((f) => f.endsWith('.wasm')), dir));
  console.log(`v3 wasm: ${w3.length} bytes raw, ${gzipSync(w3, { level: 9 }).length} bytes gzip -9`);
}
if (!filter) {
  const s = startup();
  const row = (base, name) => `${name} ${s[name].toFixed(1)} ms vs ${base} ${s[base].toFixed(1)} ms: +${(s[name] - s[base]).toFixed(1)} ms`;
  console.log(`first call (median of 21 fresh processes each): ${row('node -e 0', 'require + first sign')}; ${row('node --input-type=module -e 0', 'import + first sign')}`);
}
