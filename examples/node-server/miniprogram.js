// The one place the server talks to the mini-program platform, through the package's
// `wxpay-wasm/miniprogram` entry: login (wx.login's code → openid), the shipping upload after a
// payment, and the message push endpoint whose trade_manage_order_settlement marks an order
// settled. app.js imports this module only when the mini-program is configured (MP_SECRET), so
// the payment server runs without it.
//
//   login(code) → { openid, sessionKey, unionid? }                          (throws WxPayError)
//   ship({ transactionId, openid, trackingNo, expressCompany, itemDesc, receiverContact? })   (throws WxPayError)
//   shippingState(transactionId) → WeChat's order_state (1 待发货 … 4 交易完成)
//   push: the (req, res) handler of GET/POST /wechat/push, or null without push keys
//   close()
import { createMiniProgram, createPushHandler } from 'wxpay-wasm/miniprogram';

/**
 * config: { appid, secret, baseUrl?, timeoutMs?, pushToken?, pushAesKey?, log, onSettled(message) }.
 * `onSettled` runs for every verified trade_manage_order_settlement; when it throws, the push is
 * answered 500 and WeChat pushes it again.
 */
export function openMiniProgram(config) {
  const { log } = config;
  const mp = createMiniProgram({
    appid: config.appid,
    secret: config.secret,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  });
  const push = config.pushToken
    ? createPushHandler({
        token: config.pushToken,
        ...(config.pushAesKey ? { encodingAESKey: config.pushAesKey, appid: config.appid } : {}),
        on: {
          trade_manage_order_settlement: (m) => config.onSettled(m),
          trade_manage_remind_shipping: (m) => log(`push: WeChat reminds us to ship ${m.merchant_trade_no}`),
          default: (m) => log(`push: ${m.Event ?? m.MsgType} (not handled)`),
        },
        onRefused: (r) => log(`push REFUSED ${r.code}: ${r.reason}`),
      })
    : null;

  async function login(code) {
    const s = await mp.code2Session(code);
    return { openid: s.openid, sessionKey: s.session_key, unionid: s.unionid };
  }

  /** One parcel by express, the order named by its transaction_id (the payment notification's). */
  async function ship({ transactionId, openid, trackingNo, expressCompany, itemDesc, receiverContact }) {
    const parcel = { tracking_no: trackingNo, express_company: expressCompany, item_desc: itemDesc };
    // SF Express needs a contact, masked but for its last 4 digits (WeChat's rule).
    if (receiverContact) parcel.contact = { receiver_contact: receiverContact };
    await mp.shipping.uploadShippingInfo({
      order_key: { order_number_type: 2, transaction_id: transactionId },
      logistics_type: 1,
      delivery_mode: 1,
      shipping_list: [parcel],
      upload_time: new Date().toISOString(),
      payer: { openid },
    });
  }

  const shippingState = async (transactionId) =>
    (await mp.shipping.getOrder({ transaction_id: transactionId })).order_state;

  return { login, ship, shippingState, push, close: () => mp.close() };
}
