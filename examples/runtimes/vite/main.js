// A Vite page: `wxpay-wasm` resolves to its "browser" entry and Vite emits the wasm as an
// asset (from `new URL('wxpay_wasm_bg.wasm', import.meta.url)` in the glue), so init()
// needs no argument. A key never belongs in a page: this signs WeChat's public example.
import { init, sign } from 'wxpay-wasm';

await init();
const example = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};
document.getElementById('sign').textContent = sign(example, '192006250b4c09247ec02edce69f6a2d');
