// wx.login's code and GET /sns/jscode2session. The control interface plays the user opening the
// mini-program (`login`: a new code for an openid); the merchant's server exchanges the code once
// for { openid, session_key, unionid? }. A code lives 5 minutes (scaled by timeScale) and is
// good for one exchange: again → 40163, unknown or expired → 40029. Each exchange gives the user a
// new session_key, the one xpay's user signature is keyed with (xpay.mjs reads `ctx.sessions`).
// `ctx` is the mini-program context (../miniprogram.mjs).
import { randomBytes } from 'node:crypto';
import { MpError, mpError } from './answer.mjs';

const CODE_TTL_S = 300;
/** Codes answered with an injected errcode that leave the code usable: WeChat's "try again" answers. */
const RETRYABLE = new Set([-1, 45011]);
const OPENID = /^[A-Za-z0-9_-]{1,128}$/;

const newOpenid = () => `o${randomBytes(20).toString('base64url').slice(0, 27)}`;

/**
 * POST /_mock/miniprogram/login {openid?, unionid?, errcode?}: a code as wx.login gives it.
 * `errcode` (e.g. 40226 high risk user, 45011 rate limit, -1 busy) is what the exchange answers
 * once; -1 and 45011 leave the code usable after, as a retry would find it.
 */
export function login(ctx, { openid, unionid, errcode } = {}) {
  const id = openid ?? newOpenid();
  if (typeof id !== 'string' || !OPENID.test(id))
    throw new MpError(400, `openid must be 1-128 of [A-Za-z0-9_-], got ${JSON.stringify(openid)}`, 400);
  if (unionid !== undefined && (typeof unionid !== 'string' || !OPENID.test(unionid)))
    throw new MpError(400, `unionid must be 1-128 of [A-Za-z0-9_-], got ${JSON.stringify(unionid)}`, 400);
  if (errcode !== undefined && !Number.isInteger(errcode))
    throw new MpError(400, `errcode must be an integer (40226, 45011, -1 …), got ${JSON.stringify(errcode)}`, 400);
  const code = randomBytes(16).toString('hex');
  ctx.codes.set(code, { openid: id, unionid, errcode, createdAt: Date.now(), used: false });
  ctx.log(`mini-program: user ${id} logged in (wx.login), code ${code.slice(0, 6)}…`);
  return { code, openid: id, expires_in: CODE_TTL_S };
}

function checkApp({ cfg }, appid, secret) {
  if (!appid) throw mpError(41002);
  if (appid !== cfg.appid) throw mpError(40013, `appid ${appid} is not the mock mini-program's`);
  if (!secret) throw mpError(41004);
  if (secret !== cfg.secret) throw mpError(40125);
}

/** GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code. */
export function jscode2session(ctx, query) {
  checkApp(ctx, query.get('appid'), query.get('secret'));
  if (query.get('grant_type') !== 'authorization_code')
    throw mpError(40002, `grant_type must be authorization_code, got ${query.get('grant_type')}`);
  const code = query.get('js_code');
  if (!code) throw mpError(41008);
  const c = ctx.codes.get(code);
  if (!c || Date.now() - c.createdAt > CODE_TTL_S * 1000 * ctx.config.timeScale) throw mpError(40029);
  if (c.used) throw mpError(40163);
  if (c.errcode !== undefined) {
    const errcode = c.errcode;
    c.errcode = undefined;
    if (!RETRYABLE.has(errcode)) c.used = true;
    throw mpError(errcode);
  }
  c.used = true;
  const session = { session_key: randomBytes(16).toString('base64'), unionid: c.unionid };
  ctx.sessions.set(c.openid, session);
  ctx.log(`mini-program: code exchanged for openid ${c.openid} (new session_key)`);
  return { session_key: session.session_key, openid: c.openid, ...(c.unionid ? { unionid: c.unionid } : {}) };
}
