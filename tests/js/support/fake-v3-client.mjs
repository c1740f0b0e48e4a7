// The merchant and client that the tests against the fake WeChat (fake-wechat-v3.mjs) share:
// v3-generic, v3-products and docs-products. The client is the built package's, pointed at
// the fake and trusting its platform key, with short waits; a test's own options go in `extra`.
import wx3 from '../../../pkg/v3/node/index.mjs';
import { rsaPair } from './fake-wechat-v3.mjs';

export const MCHID = '1900000109';
export const APPID = 'wxd930ea5d5a258f4f';

/** A merchant for startFakeWeChat, with an RSA key pair of its own made now. */
export const fakeMerchant = () => ({ mchId: MCHID, serial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', ...rsaPair() });

/** A v3 client of `merchant` whose WeChat is `fake`. */
export function fakeClient(fake, merchant, extra = {}) {
  return wx3.createClient({
    appid: APPID,
    mchId: merchant.mchId,
    serialNo: merchant.serial,
    apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345',
    privateKey: merchant.privateKey,
    publicKeys: { [fake.platform.serial]: fake.platform.publicKey },
    baseUrl: fake.url,
    backoffMs: 1,
    timeoutMs: 3000,
    ...extra,
  });
}
