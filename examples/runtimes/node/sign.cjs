// Node, CommonJS: require() loads the wasm synchronously; no init() needed.
const { sign, WxPayError } = require('wxpay-wasm');

const example = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};
console.log(sign(example, '192006250b4c09247ec02edce69f6a2d'));
try {
  sign(example, '192006250b4c09247ec02edce69f6a2d', 'SHA1');
} catch (e) {
  console.log(e instanceof WxPayError, e.code);
}
