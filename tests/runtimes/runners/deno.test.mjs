// Deno: the package through its "deno" condition (node_modules beside package.json), the
// suite through Deno.test. Deno.test has no after-all hook: a last test prints the summary
// and is not counted by run.mjs (it is not one of the suite's).
import * as wx from 'wxpay-wasm';
import * as v3 from 'wxpay-wasm/v3';
import * as mp from 'wxpay-wasm/miniprogram';
import { collect } from '../harness.mjs';
import { register } from './native.mjs';

let done;
register(
  collect({ wx, v3, mp, runtime: 'deno' }),
  'deno',
  (name, fn) => Deno.test(name, fn),
  (fn) => {
    done = fn;
  },
);
Deno.test('(summary)', () => done());
