// The access token, two ways, as WeChat documents them (getStableAccessToken and getAccessToken,
// developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/):
// - POST /cgi-bin/stable_token: in normal mode the same token is returned while it is valid
//   (expires_in counting down), so any number of servers asking for it share one token and none
//   invalidates another's. In its last 5 minutes a call gets a new token and the old one stays
//   valid until its own expiry ("平台会提前5分钟更新access_token"). force_refresh: true makes a new
//   token and the previous one invalid at once; at most 20 a day, and one within 30 s of the last
//   does not refresh (the current token is returned).
// - GET /cgi-bin/token (the old API): every call makes a new token; the previous one stays
//   valid 5 more minutes, then 40001. Its tokens and stable_token's are separate.
// Every other platform call checks `access_token`: absent 41001, unknown or replaced 40001,
// past its expiry 42001. All durations are scaled by timeScale; expires_in is in WeChat's seconds.
import { randomBytes } from 'node:crypto';
import { MpError, mpError } from './answer.mjs';

const TTL_S = 7200;
const EARLY_S = 300;
const FORCE_PER_DAY = 20;
const FORCE_GAP_S = 30;
const OLD_GRACE_S = 300;

const newToken = () => `mock_${randomBytes(96).toString('base64url')}`;

/** The token table's initial state. */
export const initialTokens = () => ({
  byValue: new Map(), // token → { kind, expiresAt, revokedAt? }
  stable: null,
  plain: null,
  forced: { day: '', count: 0, last: 0 },
  issued: 0,
  refused: { 41001: 0, 40001: 0, 42001: 0 }, // platform calls refused for their access_token
});

const seconds = (ctx, s) => s * 1000 * ctx.config.timeScale;

function issue(ctx, kind) {
  const t = ctx.tokens;
  const value = newToken();
  t.byValue.set(value, { kind, expiresAt: Date.now() + seconds(ctx, TTL_S) });
  t.issued++;
  t[kind] = value;
  ctx.log(`mini-program: access_token #${t.issued} issued by ${kind === 'stable' ? 'stable_token' : '/cgi-bin/token'}`);
  return value;
}

const answer = (ctx, value) => ({
  access_token: value,
  expires_in: Math.max(
    0,
    Math.ceil((ctx.tokens.byValue.get(value).expiresAt - Date.now()) / (1000 * ctx.config.timeScale)),
  ),
});

function checkCredentials({ cfg }, { grant_type: grantType, appid, secret }) {
  if (grantType !== 'client_credential') throw mpError(40002, `grant_type must be client_credential`);
  if (!appid) throw mpError(41002);
  if (appid !== cfg.appid) throw mpError(40013, `appid ${appid} is not the mock mini-program's`);
  if (!secret) throw mpError(41004);
  if (secret !== cfg.secret) throw mpError(40125);
}

/** force_refresh: the limits first, then the current token revoked and a new one made. */
function forceRefresh(ctx) {
  const f = ctx.tokens.forced;
  const now = Date.now();
  const day = new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10); // Beijing day
  if (f.day !== day) Object.assign(f, { day, count: 0 });
  if (f.count && now - f.last < seconds(ctx, FORCE_GAP_S) && ctx.tokens.stable) {
    ctx.log(
      'mini-program: force_refresh within 30 s of the last one: not refreshed (WeChat returns the current token)',
    );
    return answer(ctx, ctx.tokens.stable);
  }
  if (f.count >= FORCE_PER_DAY) throw mpError(45009, `force_refresh is limited to ${FORCE_PER_DAY} a day`);
  f.count++;
  f.last = now;
  const old = ctx.tokens.stable && ctx.tokens.byValue.get(ctx.tokens.stable);
  if (old) old.revokedAt = now;
  return answer(ctx, issue(ctx, 'stable'));
}

/** POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh?}. */
export function stableToken(ctx, b) {
  checkCredentials(ctx, b);
  if (b.force_refresh !== undefined && typeof b.force_refresh !== 'boolean')
    throw mpError(47001, 'force_refresh must be a boolean');
  if (b.force_refresh) return forceRefresh(ctx);
  const current = ctx.tokens.stable && ctx.tokens.byValue.get(ctx.tokens.stable);
  const now = Date.now();
  if (current && !current.revokedAt && current.expiresAt - now > seconds(ctx, EARLY_S))
    return answer(ctx, ctx.tokens.stable);
  return answer(ctx, issue(ctx, 'stable'));
}

/** GET /cgi-bin/token?grant_type=client_credential&appid&secret: a new token each call. */
export function plainToken(ctx, query) {
  checkCredentials(ctx, Object.fromEntries(query));
  const old = ctx.tokens.plain && ctx.tokens.byValue.get(ctx.tokens.plain);
  if (old && !old.revokedAt) old.revokedAt = Date.now() + seconds(ctx, OLD_GRACE_S);
  return answer(ctx, issue(ctx, 'plain'));
}

/** The `access_token` of a platform call, checked: 41001 / 40001 / 42001. */
export function checkAccessToken(ctx, query) {
  const refuse = (errcode) => {
    ctx.tokens.refused[errcode]++;
    return mpError(errcode);
  };
  const value = query.get('access_token');
  if (!value) throw refuse(41001);
  const t = ctx.tokens.byValue.get(value);
  const now = Date.now();
  if (!t || (t.revokedAt !== undefined && t.revokedAt <= now)) throw refuse(40001);
  if (t.expiresAt <= now) throw refuse(42001);
}

/** POST /_mock/miniprogram/tokens/expire: every token is past its expiry (the next use: 42001). */
export function expireTokens(ctx) {
  const now = Date.now();
  for (const t of ctx.tokens.byValue.values()) t.expiresAt = Math.min(t.expiresAt, now - 1);
  ctx.log('mini-program: every access_token expired (control)');
  return { expired: ctx.tokens.byValue.size };
}

/**
 * POST /_mock/miniprogram/tokens/advance {seconds}: the tokens' clock moves on by `seconds` (WeChat's
 * seconds, scaled like every duration): expiries, grace periods and the 30 s force-refresh gap come
 * nearer, so a test sees the countdown and the early renewal without waiting.
 */
export function advanceTokens(ctx, { seconds: s } = {}) {
  if (!Number.isSafeInteger(s) || s <= 0) throw new MpError(400, 'seconds must be a positive integer', 400);
  const ms = seconds(ctx, s);
  for (const t of ctx.tokens.byValue.values()) {
    t.expiresAt -= ms;
    if (t.revokedAt !== undefined) t.revokedAt -= ms;
  }
  ctx.tokens.forced.last -= ms;
  ctx.log(`mini-program: access tokens ${s} s older (control)`);
  return tokenStats(ctx);
}

/** GET /_mock/miniprogram/tokens: counts (issued, valid, calls refused for their token), never the tokens themselves. */
export function tokenStats({ tokens }) {
  const now = Date.now();
  const valid = [...tokens.byValue.values()].filter(
    (t) => t.expiresAt > now && (t.revokedAt === undefined || t.revokedAt > now),
  );
  return {
    issued: tokens.issued,
    valid: valid.length,
    forceRefreshesToday: tokens.forced.count,
    refused: { ...tokens.refused },
  };
}
