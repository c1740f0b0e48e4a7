// workerd and browsers have no test runner: the harness runs the suite itself. `wasm`
// optionally gives init() and initDiagnose() what to load (the esbuild page passes the
// emitted file URLs); `mp` is wxpay-wasm/miniprogram (its init() gets `wasm.miniprogram`).
import { collect, runAll, summaryLine } from '../harness.mjs';

export async function runSuite(wx, v3, runtime, wasm = {}, mp = undefined) {
  await wx.init(wasm.v2);
  await wx.initDiagnose(wasm.diagnose);
  await v3.init(wasm.v3);
  if (mp) await mp.init(wasm.miniprogram);
  return summaryLine(runtime, await runAll(collect({ wx, v3, mp, runtime })));
}

/** In a page: runs the suite and leaves the summary where the driver reads it. */
export async function runInPage(wx, v3, runtime, wasm, mp) {
  let line;
  try {
    line = await runSuite(wx, v3, runtime, wasm, mp);
  } catch (e) {
    line = `RUNTIME-ERROR ${e?.stack ?? e}`;
  }
  document.body.textContent = line;
  globalThis.__RUNTIME_SUMMARY__ = line;
}
