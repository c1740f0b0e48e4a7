// A TypeScript user of `wxpay-wasm/miniprogram`, checked with `tsc --noEmit --strict` against
// the shipped pkg/miniprogram/index.d.ts (tests/js/package.test.mjs installs the packed
// tarball first). The @ts-expect-error lines must stay errors.
import mpDefault, {
  createMiniProgram,
  createPushHandler,
  decryptPush,
  encryptPush,
  pushRequest,
  verifyPushUrl,
  virtualPaymentParams,
  xpaySignatures,
  WxPayError,
  type PushMessage,
  type Session,
  type TradeManageOrderSettlement,
  type UploadShippingInfo,
  type WxPayErrorCode,
} from 'wxpay-wasm/miniprogram';
import { WxPayError as V2Error } from 'wxpay-wasm';

const keys = { token: 't', encodingAESKey: 'k'.repeat(43), appid: 'wx1' };

async function server(): Promise<void> {
  const mp = createMiniProgram({ appid: 'wx1', secret: 's', timeoutMs: 3000, onEvent: (e) => void e.type });
  const s: Session = await mp.code2Session('code');
  const openid: string = s.openid;
  const token: string = await mp.accessToken({ forceRefresh: false });
  const info: UploadShippingInfo = {
    order_key: { order_number_type: 2, transaction_id: '42' },
    logistics_type: 1,
    delivery_mode: 1,
    shipping_list: [
      { tracking_no: 'SF1', express_company: 'SF', item_desc: 'x', contact: { receiver_contact: '189****1234' } },
    ],
    payer: { openid },
  };
  await mp.shipping.uploadShippingInfo(info);
  const order = await mp.shipping.getOrder({ transaction_id: '42' });
  const state: 1 | 2 | 3 | 4 | 5 | 6 = order.order_state;
  const managed: boolean = await mp.shipping.isTradeManaged();
  await mp.xpay.queryUserBalance({ openid, user_ip: '127.0.0.1' }, { sessionKey: s.session_key });
  void [token, state, managed];
  // @ts-expect-error order_number_type 2 names the order by transaction_id
  const wrong: UploadShippingInfo = { ...info, order_key: { order_number_type: 2, mchid: '1', out_trade_no: 'x' } };
  // @ts-expect-error logistics_type is 1 to 4
  const wrong2: UploadShippingInfo = { ...info, logistics_type: 5 };
  // @ts-expect-error unknown option
  createMiniProgram({ appid: 'wx1', secret: 's', appSecret: 'x' });
  void [wrong, wrong2];
}

function push(): void {
  const echo: string = verifyPushUrl({ signature: 'x', timestamp: '1', nonce: 'n', echostr: 'e' }, 't');
  const m: PushMessage = decryptPush({ query: new URLSearchParams(), body: '' }, keys);
  const reply: string = encryptPush({ a: 1 }, { ...keys, format: 'json' });
  const req: { query: Record<string, string>; body: string } = pushRequest({ Event: 'x' }, keys);
  const handler = createPushHandler({
    ...keys,
    on: {
      trade_manage_order_settlement: (e: TradeManageOrderSettlement) => {
        const method: 1 | 2 | undefined = e.confirm_receive_method;
        void method;
      },
      xpay_goods_deliver_notify: (e) => void e.GoodsInfo.ProductId,
      default: (e) => void e.MsgType,
    },
    onRefused: (r) => {
      const c: WxPayErrorCode = r.code;
      void c;
    },
  });
  void [echo, m, reply, req, handler];
  // @ts-expect-error format is 'json' or 'xml'
  encryptPush({}, { ...keys, format: 'yaml' });
}

function xpay(): void {
  const { paySig, signature } = xpaySignatures({
    appKey: 'k',
    sessionKey: 's',
    uri: '/xpay/query_user_balance',
    body: '{}',
  });
  const p = virtualPaymentParams({
    appKey: 'k',
    sessionKey: 's',
    signData: {
      offerId: '1',
      buyQuantity: 1,
      env: 0,
      currencyType: 'CNY',
      outTradeNo: 'order1',
      productId: 'p',
      goodsPrice: 1,
    },
  });
  const mode: 'short_series_goods' | 'short_series_coin' = p.mode;
  void [paySig, signature, mode];
  // @ts-expect-error body is the exact JSON text, not an object
  xpaySignatures({ appKey: 'k', uri: '/x', body: {} });
}

try {
  void [server, push, xpay, mpDefault.init];
} catch (e) {
  if (e instanceof WxPayError && e instanceof V2Error) {
    const code: WxPayErrorCode = e.code;
    void code;
  }
}
