// Bun: the package through its "bun" condition, the suite through bun:test.
import { afterAll, test } from 'bun:test';
import * as wx from 'wxpay-wasm';
import * as v3 from 'wxpay-wasm/v3';
import * as mp from 'wxpay-wasm/miniprogram';
import { collect } from '../harness.mjs';
import { register } from './native.mjs';

register(collect({ wx, v3, mp, runtime: 'bun' }), 'bun', test, afterAll, { context: false });
