// A TypeScript user of the published package, checked with `tsc --noEmit` against the
// shipped index.d.ts (tests/js/package.test.mjs installs the packed tarball first).
import wxpay, {
  buildUnifiedOrderXml, notifyReply, parseUnifiedOrderResponse, requestPaymentParams, sign,
  verify, verifyNotify, WxPayError, type RequestPaymentParams, type SignType, type VerifiedNotify,
  type WxPayErrorCode,
} from 'wxpay-wasm';
import wasmUrl from 'wxpay-wasm/wasm';

const key = '192006250b4c09247ec02edce69f6a2d';
const signType: SignType = 'HMAC-SHA256';
const s: string = sign({ appid: 'wx1', total_fee: 1, empty: null }, key, signType);
const ok: boolean = verify({ appid: 'wx1', sign: s }, key);

const xml: string = buildUnifiedOrderXml({
  appid: 'wx1', mch_id: '1', body: 'b', out_trade_no: 'o1', total_fee: 1, spbill_create_ip: '127.0.0.1',
  notify_url: 'https://a.example/n', trade_type: 'JSAPI', openid: 'o',
}, { key, signType });

const res = parseUnifiedOrderResponse(xml, { key });
const prepay: string = res.prepay_id;
const pay: RequestPaymentParams = requestPaymentParams({ appId: 'wx1', prepayId: prepay, key });
const pkgField: string = pay.package;

try {
  const n: VerifiedNotify = verifyNotify(xml, { key, appid: 'wx1', mchId: '1', outTradeNo: 'o1', totalFee: 1 });
  const paid: boolean = n.paid;
  const tx: string | undefined = n.transaction_id;
  void [paid, tx];
} catch (e) {
  if (e instanceof WxPayError) {
    const code: WxPayErrorCode = e.code;
    const field: string | undefined = e.field;
    void [code, field];
  }
}
const reply: string = notifyReply(false, 'bad');
const same: typeof sign = wxpay.sign;
void [ok, pkgField, reply, same];

// @ts-expect-error: the sign type is a closed union
sign({}, key, 'SHA1');
// @ts-expect-error: options need the key
verifyNotify('<xml/>', { appid: 'wx1' });

// The ./wasm subpath is the wasm file's URL, for init() under esbuild's file loader.
const wasmHref: string = wasmUrl;
