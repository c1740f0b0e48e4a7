// createMiniProgram (issue 29): the mini-program server's calls to WeChat. One context per
// instance: its options (checked now), a transport (js/client/transport.js: fetch with a
// timeout, errors naming the method and path only, never the query that carries the secret
// or the token), and the access-token cache (token.js). Calls answer JSON with `errcode`,
// mapped by errcodes.js; those that need the token get it attached as `?access_token=` and
// are sent again once, with a freshly fetched token, after 40001/42001.
import { WxPayError } from '../core/index.js';
import { createTransport } from '../client/transport.js';
import { baseUrlOption, eventOption, fetchOption, intOption } from '../client/options.js';
import { CLIENT_DEFAULTS } from '../client/retry.js';
import { send } from './request.js';
import { createTokenCache } from './token.js';
import { options, text } from './options.js';
import { shippingMethods } from './shipping.js';
import { xpayMethods } from './xpay.js';

const WECHAT_BASE = 'https://api.weixin.qq.com';

/** The context of one instance from its options, each checked now. */
function context(opts) {
  const fn = 'createMiniProgram';
  options(fn, opts);
  const appid = text(fn, opts, 'appid', { max: 64 });
  const secret = text(fn, opts, 'secret', { max: 128 });
  const appKey = text(fn, opts, 'appKey', { optional: true, max: 256 });
  const offerId = text(fn, opts, 'offerId', { optional: true, max: 64 });
  const env = opts.env ?? 0;
  if (env !== 0 && env !== 1)
    throw new WxPayError('INVALID_PARAM', `${fn}: option \`env\` must be 0 (production) or 1 (xpay sandbox)`, {
      field: 'env',
    });
  const c = {
    appid,
    secret,
    appKey,
    offerId,
    env,
    baseUrl: baseUrlOption(opts.baseUrl, WECHAT_BASE),
    transport: createTransport({
      fetch: fetchOption(opts.fetch),
      timeoutMs: intOption(opts, 'timeoutMs', CLIENT_DEFAULTS.timeoutMs, 1, 120000),
      tls: null,
    }),
    emit: eventOption(opts.onEvent),
  };
  c.tokens = createTokenCache((force) => stableToken(c, force), c.emit);
  return c;
}

/** POST /cgi-bin/stable_token (normal mode unless `force`). */
function stableToken(c, force) {
  const body = { grant_type: 'client_credential', appid: c.appid, secret: c.secret };
  if (force) body.force_refresh = true;
  return send(c, 'POST', '/cgi-bin/stable_token', {}, JSON.stringify(body));
}

const LOGIN_CODE = /^[\x21-\x7e]{1,128}$/;

/** GET /sns/jscode2session: wx.login's code → { openid, session_key, unionid? }. */
async function code2Session(c, code) {
  if (typeof code !== 'string' || !LOGIN_CODE.test(code))
    throw new WxPayError(
      'INVALID_PARAM',
      'code2Session: code must be the string wx.login gave the mini-program (1 to 128 printable characters)',
      { field: 'code' },
    );
  const a = await send(c, 'GET', '/sns/jscode2session', {
    appid: c.appid,
    secret: c.secret,
    js_code: code,
    grant_type: 'authorization_code',
  });
  if (typeof a.openid !== 'string' || a.openid === '' || typeof a.session_key !== 'string' || a.session_key === '')
    throw new WxPayError('INVALID_JSON', 'GET /sns/jscode2session: the answer has no openid and session_key');
  const out = { openid: a.openid, session_key: a.session_key };
  if (typeof a.unionid === 'string' && a.unionid !== '') out.unionid = a.unionid;
  return out;
}

/** The mini-program server: login, access token, shipping (发货信息管理), virtual payment's server APIs. */
export function createMiniProgram(opts) {
  const c = context(opts);
  return Object.freeze({
    appid: c.appid,
    code2Session: (code) => code2Session(c, code),
    accessToken: async (o = {}) => {
      options('accessToken', o);
      if (o.forceRefresh !== undefined && typeof o.forceRefresh !== 'boolean')
        throw new WxPayError('INVALID_PARAM', 'accessToken: option `forceRefresh` must be a boolean', {
          field: 'forceRefresh',
        });
      return c.tokens.get(o);
    },
    shipping: shippingMethods(c),
    xpay: xpayMethods(c),
    close: () => c.transport.close(),
  });
}
