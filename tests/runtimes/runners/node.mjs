// Node, ESM: the package through `import` (the "node" + "import" conditions), the suite
// through node:test.
import { after, test } from 'node:test';
import * as wx from 'wxpay-wasm';
import * as v3 from 'wxpay-wasm/v3';
import * as mp from 'wxpay-wasm/miniprogram';
import { collect } from '../harness.mjs';
import { register } from './native.mjs';

register(collect({ wx, v3, mp, runtime: 'node-esm' }), 'node-esm', test, after);
