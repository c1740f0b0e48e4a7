// Node, ESM: the same module as require() (one instance, one WxPayError class).
import { sign, WxPayError } from 'wxpay-wasm';
import { authorization } from 'wxpay-wasm/v3';

const example = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};
console.log(sign(example, '192006250b4c09247ec02edce69f6a2d'));
try {
  await authorization({
    mchId: '1900000109',
    serialNo: 'ABC',
    privateKey: 'not a key',
    method: 'GET',
    url: '/v3/certificates',
  });
} catch (e) {
  console.log(e instanceof WxPayError, e.code);
}
