// The mini-program message push (消息推送): events POSTed to the configured URL in safe mode
// (AES, push-crypto.mjs) or plain mode, as JSON or XML, the way WeChat posts them:
//   URL?signature=…&timestamp=…&nonce=…[&openid=…][&encrypt_type=aes&msg_signature=…]
//   safe body: {"ToUserName":"gh_…","Encrypt":"…"} (XML: <xml><ToUserName/><Encrypt/></xml>)
// Acknowledged by a 2xx whose body is empty or "success"; otherwise WeChat tries 3 more times
// (every 5 s here, scaled). Each delivery is recorded for GET /_mock/miniprogram/pushes.
// Configured by the mock's options, the CLI's --mp-push-* flags or POST /_mock/miniprogram/push-config,
// which first checks the URL as WeChat does when the developer saves it: GET with echostr, echoed.
import { randomBytes, randomInt } from 'node:crypto';
import { MpError, unixSeconds } from './answer.mjs';
import { aesKey, encryptMessage, sha1Signature } from './push-crypto.mjs';

const RETRIES = 3;
const RETRY_S = 5;
const MAX_RECORDS = 100;
const MODES = ['safe', 'plain'];
const FORMATS = ['json', 'xml'];

/** A push configuration checked field by field (throws MpError 400 with the reason). */
export function pushConfig(c) {
  const bad = (m) => new MpError(400, m, 400);
  const known = ['url', 'token', 'encodingAESKey', 'mode', 'format', 'verify'];
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length) throw bad(`unknown push-config field ${unknown.join(', ')}; it takes ${known.join(', ')}`);
  const { url, token, encodingAESKey, mode = 'safe', format = 'json' } = c;
  if (typeof url !== 'string' || !/^https?:\/\/[^\s#]+$/.test(url)) throw bad(`url must be an http(s) URL, got ${url}`);
  if (typeof token !== 'string' || !/^[A-Za-z0-9]{3,32}$/.test(token))
    throw bad("token must be 3-32 letters or digits (WeChat's 令牌 rule)");
  if (!MODES.includes(mode)) throw bad(`mode must be ${MODES.join(' or ')}, got ${mode}`);
  if (!FORMATS.includes(format)) throw bad(`format must be ${FORMATS.join(' or ')}, got ${format}`);
  if (mode === 'safe' || encodingAESKey !== undefined) {
    try {
      aesKey(encodingAESKey);
    } catch (e) {
      throw bad(e.message);
    }
  }
  return { url, token, encodingAESKey, mode, format };
}

const cdata = (v) => (typeof v === 'number' ? String(v) : `<![CDATA[${String(v)}]]>`);
const toXml = (o) =>
  `<xml>${Object.entries(o)
    .map(([k, v]) =>
      v !== null && typeof v === 'object' ? `<${k}>${toXml(v).slice(5, -6)}</${k}>` : `<${k}>${cdata(v)}</${k}>`,
    )
    .join('')}</xml>`;
const nonce = () => String(randomInt(1e9, 1e10));

/** The request WeChat would send for `message` under `cfg`: { url, body, headers }. */
export function pushRequest(appid, cfg, message, openid) {
  const text = cfg.format === 'xml' ? toXml(message) : JSON.stringify(message);
  const timestamp = String(unixSeconds(Date.now()));
  const n = nonce();
  const q = new URLSearchParams({ signature: sha1Signature(cfg.token, timestamp, n), timestamp, nonce: n });
  if (openid) q.set('openid', openid);
  let body = text;
  if (cfg.mode === 'safe') {
    const encrypt = encryptMessage(text, { encodingAESKey: cfg.encodingAESKey, appid });
    q.set('encrypt_type', 'aes');
    q.set('msg_signature', sha1Signature(cfg.token, timestamp, n, encrypt));
    const env = { ToUserName: message.ToUserName, Encrypt: encrypt };
    body = cfg.format === 'xml' ? toXml(env) : JSON.stringify(env);
  }
  const sep = cfg.url.includes('?') ? '&' : '?';
  const type = cfg.format === 'xml' ? 'text/xml' : 'application/json';
  return { url: `${cfg.url}${sep}${q}`, body, headers: { 'content-type': type } };
}

/** WeChat's own GET on saving the URL: the echostr must come back. */
export async function verifyUrl(cfg) {
  const timestamp = String(unixSeconds(Date.now()));
  const n = nonce();
  const echostr = randomBytes(9).toString('hex');
  const q = new URLSearchParams({ signature: sha1Signature(cfg.token, timestamp, n), echostr, timestamp, nonce: n });
  const sep = cfg.url.includes('?') ? '&' : '?';
  let text;
  try {
    const res = await fetch(`${cfg.url}${sep}${q}`, { signal: AbortSignal.timeout(5000) });
    text = await res.text();
  } catch (e) {
    throw new MpError(409, `URL check failed: cannot reach ${cfg.url} (${e.cause?.code || e.name})`, 409);
  }
  if (text.trim() !== echostr)
    throw new MpError(409, `URL check failed (WeChat: token验证失败): the answer was not the echostr`, 409);
}

const acknowledged = (status, text) => status >= 200 && status < 300 && ['', 'success'].includes(text.trim());

/**
 * Sends `message` (an event object) to the configured URL; resolves with the record after the first
 * attempt (a control call does not wait for retries), which later attempts keep updating.
 */
export function push(ctx, message, openid) {
  const cfg = ctx.push;
  const record = { at: new Date().toISOString(), event: message.Event, attempts: [], acknowledged: false };
  ctx.pushes.push(record);
  if (ctx.pushes.length > MAX_RECORDS) ctx.pushes.shift();
  if (!cfg) {
    record.skipped = 'no push URL configured';
    ctx.log(
      `mini-program: ${message.Event} not pushed: no push URL (POST /_mock/miniprogram/push-config or --mp-push-url)`,
    );
    return Promise.resolve(record);
  }
  record.url = cfg.url;
  const attempt = (n) => {
    const req = pushRequest(ctx.cfg.appid, cfg, message, openid);
    const label = `${message.Event} (${cfg.mode}, ${cfg.format}) attempt ${n + 1}/${RETRIES + 1}`;
    return ctx.notifier
      .once(req.url, () => req, label, 0, acknowledged)
      .then((r) => {
        record.attempts.push({ status: r.status, reply: r.reply, error: r.error, ok: r.ok });
        record.acknowledged = r.ok;
        if (!r.ok && n < RETRIES)
          ctx.notifier.later(RETRY_S * 1000 * ctx.config.timeScale, () =>
            attempt(n + 1).catch((e) => ctx.log(`mini-program: push error ${e.stack || e}`)),
          );
        return record;
      });
  };
  return attempt(0);
}

/** A push event as WeChat writes it: the envelope fields, then the event's own. */
export const eventMessage = (ctx, event, fields, openid = '') => ({
  ToUserName: ctx.cfg.originalId,
  FromUserName: openid,
  CreateTime: unixSeconds(Date.now()),
  MsgType: 'event',
  Event: event,
  ...fields,
});
