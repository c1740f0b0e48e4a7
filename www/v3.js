// The page's API v3 tab: build a request's Authorization header and verify + decrypt a
// callback, both by calling wxpay-wasm/v3 (pkg/v3/web: the Rust core for everything but
// RSA, the browser's WebCrypto for RSA). Keys stay in this page's memory; nothing here
// talks to the network. app.js owns language, tabs and saving; it passes `ui` in.
import { renderChecks } from './checks.js';

const $ = (id) => document.getElementById(id);
let v3 = null;
let ui;

/** The checks of a callback, in the order the core makes them (src/v3/verify.rs, then notify.rs). */
export const V3_CHECKS = [
  'chkV3Headers',
  'chkV3Probe',
  'chkV3Skew',
  'chkV3Serial',
  'chkV3Sign',
  'chkV3Decrypt',
  'chkV3Expect',
  'chkV3Paid',
];
const PROBE = 'WECHATPAY/SIGNTEST/';

/** Which check a verifyNotify error belongs to (probes fail as SIGN_MISMATCH, like any bad signature). */
function failedCheck(e, headers) {
  // A malformed header (a timestamp that is not Unix seconds, a header given twice).
  if ((e.code === 'INVALID_FIELD' || e.code === 'DUPLICATE_FIELD') && /^wechatpay-/i.test(e.field ?? '')) {
    return /timestamp/i.test(e.field) ? 'chkV3Skew' : 'chkV3Headers';
  }
  switch (e.code) {
    case 'SIGN_MISSING':
      return 'chkV3Headers';
    case 'TIMESTAMP_SKEW':
      return 'chkV3Skew';
    case 'UNKNOWN_SERIAL':
      return 'chkV3Serial';
    case 'SIGN_MISMATCH':
      return String(header(headers, 'Wechatpay-Signature') ?? '').startsWith(PROBE) ? 'chkV3Probe' : 'chkV3Sign';
    case 'APPID_MISMATCH':
    case 'MCH_ID_MISMATCH':
    case 'OUT_TRADE_NO_MISMATCH':
    case 'AMOUNT_MISMATCH':
      return 'chkV3Expect';
    default:
      return 'chkV3Decrypt'; // DECRYPT_FAILED, INVALID_JSON, MISSING_FIELD, INVALID_FIELD: after the signature
  }
}

/** Options of verifyNotify: a MISSING_FIELD naming one is the form's problem, not the callback's. */
const OPTIONS = new Set([
  'apiV3Key',
  'publicKeys',
  'now',
  'maxSkewSeconds',
  'appid',
  'mchId',
  'outTradeNo',
  'total',
  'headers',
  'body',
]);
/** An error in what was typed into the form (a key, a PEM, an option), found before any check ran. */
function isSetupError(e) {
  return (
    e.code === 'INVALID_PARAM' || e.code === 'INPUT_TOO_LARGE' || (e.code === 'MISSING_FIELD' && OPTIONS.has(e.field))
  );
}

/** A header by name, any capitalisation (as the core reads them). */
function header(headers, name) {
  const k = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : headers[k];
}

/**
 * Reads pasted headers: `Name: value` lines (a request line such as `POST /notify
 * HTTP/1.1` is skipped), or a JSON object such as a logged `req.headers`.
 */
export function parseHeaders(text) {
  const s = text.trim();
  if (s.startsWith('{')) {
    const o = JSON.parse(s);
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('headers JSON must be an object');
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
  }
  const out = {};
  for (const line of s.split(/\r?\n/)) {
    if (!line.trim() || /^[A-Z]+ \S+ HTTP\/[\d.]+$/.test(line.trim())) continue;
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(ui.t('v3BadHeaderLine') + line);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function values(form) {
  const out = {};
  for (const el of form.querySelectorAll('[name]')) out[el.name] = el.value;
  return out;
}

/** The fields of `WECHATPAY2-SHA256-RSA2048 k="v",…`, to show the message that was signed. */
function authFields(headerValue) {
  return Object.fromEntries([...headerValue.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

// ---------- Authorization ----------

let authRun = 0;

export async function runAuth() {
  const run = ++authRun;
  const f = values($('v3AuthForm'));
  const opts = {
    mchId: f.mchId,
    serialNo: f.serialNo,
    privateKey: f.privateKey,
    method: f.method,
    url: f.url,
    body: f.body,
  };
  if (f.timestamp) opts.timestamp = f.timestamp;
  if (f.nonce) opts.nonce = f.nonce;
  let value;
  try {
    if (!f.privateKey.trim()) throw { code: 'INVALID_PARAM', message: ui.t('v3NeedKey') };
    value = await v3.authorization(opts);
  } catch (e) {
    if (run !== authRun) return;
    ui.show($('v3AuthError'), ui.errorText(e));
    $('v3AuthOut').hidden = true;
    return;
  }
  if (run !== authRun) return;
  const a = authFields(value);
  // The message is rebuilt from the header's own timestamp and nonce, so what is shown is
  // exactly what the signature covers (the page's tests verify it against the header).
  const message = `${f.method}\n${f.url}\n${a.timestamp}\n${a.nonce_str}\n${f.body}\n`;
  ui.show($('v3AuthError'), '');
  $('v3AuthMessage').textContent = message;
  $('v3AuthLiteral').textContent = JSON.stringify(message);
  $('v3AuthHeader').textContent = value;
  $('v3AuthOut').hidden = false;
}

// ---------- callback ----------

let notifyRun = 0;
let lastNotify = false;

export async function runNotify() {
  const run = ++notifyRun;
  const f = values($('v3NotifyForm'));
  const results = new Map();
  let headers = {};
  let verified = null;
  let failure = null;
  try {
    headers = parseHeaders(f.headers);
    if (!f.serial.trim()) throw { code: 'INVALID_PARAM', message: ui.t('v3NeedSerial') };
    const opts = { apiV3Key: f.apiV3Key, publicKeys: { [f.serial.trim()]: f.publicKey } };
    for (const name of ['appid', 'mchId', 'outTradeNo']) if (f[name]) opts[name] = f[name];
    if (f.total) opts.total = Number(f.total);
    if ($('v3AtSendTime').checked) {
      const ts = Number(header(headers, 'Wechatpay-Timestamp'));
      if (Number.isFinite(ts)) opts.now = ts;
    }
    verified = await v3.verifyNotify(f.body, headers, opts);
  } catch (e) {
    failure = e?.code ? e : { code: 'INVALID_PARAM', message: String(e?.message ? e.message : e) };
  }
  if (run !== notifyRun) return;
  const anyExpect = ['appid', 'mchId', 'outTradeNo', 'total'].some((n) => f[n]);
  if (failure && isSetupError(failure)) {
    for (const c of V3_CHECKS) results.set(c, ['skip', ui.errorText(failure)]);
  } else if (failure) {
    const at = V3_CHECKS.indexOf(failedCheck(failure, headers));
    V3_CHECKS.forEach((c, i) => {
      results.set(c, i < at ? ['pass', ''] : i === at ? ['fail', ui.errorText(failure)] : ['skip', ui.t('afterFail')]);
    });
  } else {
    for (const c of V3_CHECKS.slice(0, 6)) results.set(c, ['pass', '']);
    results.set('chkV3Expect', anyExpect ? ['pass', ''] : ['skip', ui.t('notGiven')]);
    const r = verified.resource || {};
    results.set(
      'chkV3Paid',
      verified.paid
        ? ['pass', '']
        : ['fail', [verified.event_type, r.trade_state, r.refund_status].filter(Boolean).join(' ')],
    );
  }
  if ($('v3AtSendTime').checked && results.get('chkV3Skew')[0] === 'pass')
    results.set('chkV3Skew', ['pass', ui.t('v3AtSendTimeNote')]);
  // A genuine callback is acknowledged (paid or not, so WeChat stops retrying); anything
  // that failed a check gets a FAIL reply naming the code, so the problem stays visible.
  let reply;
  try {
    reply = failure ? await v3.notifyReply(false, failure.code) : await v3.notifyReply(true);
  } catch (e) {
    reply = { status: '', headers: {}, body: ui.errorText(e) };
  }
  if (run !== notifyRun) return;
  render(results, verified, failure, reply);
}

function render(results, verified, failure, reply) {
  renderChecks($('v3Checks'), V3_CHECKS, results, ui.t);
  const verdict = $('v3Verdict');
  verdict.dataset.code = failure ? failure.code : '';
  if (!failure) {
    verdict.className = `verdict ${verified.paid ? 'ok' : 'warn'}`;
    verdict.textContent = ui.t(verified.paid ? 'v3Ok' : 'v3NotPaid');
    $('v3Resource').textContent = JSON.stringify(verified.resource, null, 2);
  } else {
    verdict.className = 'verdict bad';
    verdict.textContent = `${ui.t('v3Bad')} ${ui.errorText(failure)}`;
    $('v3Resource').textContent = '';
  }
  const head = Object.entries(reply.headers || {}).map(([k, v]) => `${k}: ${v}`);
  $('v3Reply').textContent = [`HTTP ${reply.status}`, ...head, '', reply.body ?? ''].join('\n').trimEnd();
  $('v3NotifyOut').hidden = false;
  lastNotify = true;
}

/** Re-renders after a language change. */
export function refreshV3() {
  if (v3 && lastNotify) runNotify();
  if (v3 && !$('v3AuthOut').hidden) runAuth();
}

export const AUTH_EXAMPLE = {
  mchId: '1900009191',
  serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
  method: 'POST',
  url: '/v3/pay/transactions/jsapi',
  body: JSON.stringify({
    appid: 'wxd678efh567hg6787',
    mchid: '1900009191',
    description: 'Image形象店-深圳腾大-QQ公仔',
    out_trade_no: '1217752501201407033233368018',
    notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
    amount: { total: 100, currency: 'CNY' },
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  }),
};

/**
 * Loads pkg/v3/web and wires the tab. A failure leaves the v2 tabs working and says so in
 * the v3 tab; `body[data-v3]` tells tests which happened.
 */
export async function setupV3(helpers) {
  ui = helpers;
  for (const [name, v] of Object.entries(AUTH_EXAMPLE)) {
    const el = $('v3AuthForm').querySelector(`[name="${name}"]`);
    if (el && !el.value) el.value = v;
  }
  try {
    const mod = await import('/pkg/v3/web/index.js');
    if (typeof mod.init === 'function') await mod.init();
    v3 = mod.default ?? mod;
  } catch (e) {
    ui.show($('v3LoadError'), `${ui.t('v3LoadFailed')} (${e.message})`);
    for (const id of ['v3AuthRun', 'v3NotifyRun']) $(id).disabled = true;
    document.body.dataset.v3 = 'failed';
    return;
  }
  $('v3AuthRun').addEventListener('click', runAuth);
  $('v3NotifyRun').addEventListener('click', runNotify);
  document.body.dataset.v3 = 'ready';
}
