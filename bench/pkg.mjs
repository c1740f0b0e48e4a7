// Where the benchmark finds the package: pkg/ of this tree, or the directory named by
// WXPAY_BENCH_PKG (an older build kept aside, for a before/after run on the same machine:
//   cp -r pkg /tmp/pkg-before; …change, rebuild…; WXPAY_BENCH_PKG=/tmp/pkg-before node bench/run.mjs).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

export const PKG_URL = process.env.WXPAY_BENCH_PKG
  ? pathToFileURL(`${resolve(process.env.WXPAY_BENCH_PKG)}/`)
  : new URL('../pkg/', import.meta.url);
