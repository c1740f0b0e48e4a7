// The page bundled by esbuild (platform=browser: the "browser" condition). esbuild does not
// follow `new URL(…, import.meta.url)`, so the wasm files are imported as file URLs
// (loader .wasm=file) through the package's ./wasm subpaths and handed to init().
import * as wx from 'wxpay-wasm';
import * as v3 from 'wxpay-wasm/v3';
import * as mp from 'wxpay-wasm/miniprogram';
import v2wasm from 'wxpay-wasm/wasm';
import v3wasm from 'wxpay-wasm/v3/wasm';
import diagnoseWasm from 'wxpay-wasm/diagnose/wasm';
import mpWasm from 'wxpay-wasm/miniprogram/wasm';
import { runInPage } from './self.mjs';

runInPage(wx, v3, 'chromium-esbuild', { v2: v2wasm, v3: v3wasm, diagnose: diagnoseWasm, miniprogram: mpWasm }, mp);
