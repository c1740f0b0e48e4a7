// The mini-program platform in the mock (api.weixin.qq.com, on the same port as WeChat Pay):
// wx.login codes and jscode2session, the access token (stable_token and the old /cgi-bin/token),
// the order-shipping service over the mock's paid orders, the message push in safe or plain mode,
// and virtual payment (xpay) with both signatures checked. The shipping service's orders are the
// Store's (a v2 or v3 order paid through the control interface is 待发货 at once).
//
// The modules under miniprogram/ each hold one concern and take the context made here (`ctx`)
// as their first argument, so each can be imported and tested alone:
//   answer.mjs          MpError, WeChat's errcodes and errmsgs, the JSON body
//   login.mjs           wx.login codes (control) and /sns/jscode2session, session keys
//   tokens.mjs          /cgi-bin/stable_token, /cgi-bin/token, access_token checks
//   shipping-checks.mjs upload_shipping_info's body as WeChat checks it
//   shipping.mjs        /wxa/sec/order/*: the order state machine, confirm receipt (control)
//   delivery-companies.mjs  get_delivery_list's express companies
//   push-crypto.mjs     the push's AES-256-CBC layout and SHA-1 signatures (node:crypto)
//   push.mjs            push delivery to the configured URL, URL check, records
//   xpay.mjs            /xpay/*: signatures, coin balances, goods orders
//   routes.mjs          one HTTP call: route, token, body, signatures, WeChat's answer
//   control.mjs         /_mock/miniprogram/…
import { createHash } from 'node:crypto';
import { handleControl, isControlPath } from './miniprogram/control.mjs';
import { pushConfig } from './miniprogram/push.mjs';
import { handle, isMiniProgramPath, systemError } from './miniprogram/routes.mjs';
import { initialTokens } from './miniprogram/tokens.mjs';

export { isControlPath, isMiniProgramPath };

const OPTIONS = ['appid', 'secret', 'appKey', 'sandboxAppKey', 'push', 'tradeManaged'];
const derived = (what, appid, key) =>
  createHash('sha256').update(`wxpay-wasm-mock-miniprogram:${what}:${appid}:${key}`).digest('hex').slice(0, 32);

/** The mini-program's settings: given, else derived from the mock's API key (stable across restarts). */
function settings(options, appid, key) {
  const unknown = Object.keys(options).filter((k) => !OPTIONS.includes(k));
  if (unknown.length)
    throw new Error(`unknown miniprogram option ${unknown.join(', ')}; it takes ${OPTIONS.join(', ')}`);
  const id = options.appid ?? appid;
  return {
    appid: id,
    secret: options.secret ?? derived('secret', id, key),
    appKey: options.appKey ?? derived('appKey', id, key),
    sandboxAppKey: options.sandboxAppKey ?? derived('sandboxAppKey', id, key),
    originalId: `gh_${createHash('md5').update(id).digest('hex').slice(0, 12)}`,
    tradeManaged: options.tradeManaged ?? true,
  };
}

/** The state a reset clears: codes, sessions, tokens, shipping, xpay, push records (not the push config). */
const state = () => ({
  codes: new Map(),
  sessions: new Map(),
  tokens: initialTokens(),
  shipping: new Map(),
  jumpPath: null,
  pushes: [],
  xpay: { accounts: new Map(), coinPays: new Map(), orders: new Map() },
});

/** The context every miniprogram/ module takes. */
export function createMiniProgramContext({ options = {}, appid, key, store, notifier, config, log }) {
  let push = null;
  if (options.push) {
    try {
      push = pushConfig(options.push);
    } catch (e) {
      throw new Error(`miniprogram push: ${e.message}`);
    }
  }
  return { cfg: settings(options, appid, key), store, notifier, config, log, push, ...state() };
}

/** The mini-program platform's interface for server.mjs, bound to one context. */
export function createMiniProgram(options) {
  const ctx = createMiniProgramContext(options);
  return {
    handle: (req, url, raw) => handle(ctx, req, url, raw),
    systemError,
    control: (method, path, raw) => handleControl(ctx, method, path, raw),
    reset: () => Object.assign(ctx, state()),
    config: ctx.cfg,
    pushUrl: () => ctx.push?.url,
  };
}
