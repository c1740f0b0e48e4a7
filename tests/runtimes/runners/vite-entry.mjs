// The page built by Vite (`vite build`): the "browser" condition, and Vite emits each wasm
// as an asset from the glue's `new URL('wxpay_wasm_bg.wasm', import.meta.url)`; init() needs
// no argument.
import * as wx from 'wxpay-wasm';
import * as v3 from 'wxpay-wasm/v3';
import * as mp from 'wxpay-wasm/miniprogram';
import { runInPage } from './self.mjs';

runInPage(wx, v3, 'chromium-vite', {}, mp);
