// The page's mini-program push tab: a push WeChat sent to the message push URL (消息推送),
// its signature checked and, in safe mode, decrypted, by calling wxpay-wasm/miniprogram
// (pkg/miniprogram/web: the Rust core's SHA-1 signatures, AES-256-CBC and XML parser). The
// Token and EncodingAESKey stay in this page's memory; nothing here talks to the network.
// app.js owns language, tabs and saving; it passes `ui` in.
import { renderChecks } from './checks.js';

const $ = (id) => document.getElementById(id);
let mp = null;
let ui;
let last = false;

/** The checks of a push, in the order decryptPush makes them. */
export const MP_CHECKS = ['chkMpQuery', 'chkMpSign', 'chkMpDecrypt', 'chkMpAppid', 'chkMpParse'];

/** Which check a decryptPush / verifyPushUrl error belongs to. */
function failedCheck(e) {
  switch (e.code) {
    case 'SIGN_MISMATCH':
      return 'chkMpSign';
    case 'DECRYPT_FAILED':
      return 'chkMpDecrypt';
    case 'APPID_MISMATCH':
      return 'chkMpAppid';
    case 'INVALID_JSON':
    case 'INVALID_XML':
    case 'XML_FORBIDDEN':
    case 'INPUT_TOO_LARGE':
      return 'chkMpParse';
    default:
      return 'chkMpQuery'; // SIGN_MISSING, MISSING_FIELD, INVALID_FIELD: what the query carries
  }
}

/** An error in what was typed into the form (a key's length, an option), before any check ran. */
const isSetupError = (e) => e.code === 'INVALID_PARAM';

function values() {
  const out = {};
  for (const el of $('mpForm').querySelectorAll('[name]')) out[el.name] = el.value.trim();
  return out;
}

/** The query part of what was pasted: a whole URL, a path with its query, or the query alone. */
function queryOf(text) {
  const i = text.indexOf('?');
  return i >= 0 ? text.slice(i + 1) : text;
}

/** Runs the checks: { results, message?, echo?, failure? }. */
function check(f) {
  const query = queryOf(f.query);
  const safe = f.encodingAESKey !== '';
  const keys = { token: f.token, ...(safe ? { encodingAESKey: f.encodingAESKey, appid: f.appid } : {}) };
  if (f.body === '' && new URLSearchParams(query).has('echostr')) {
    // WeChat's URL check (GET): the signature, then echostr is the answer.
    return { echo: mp.verifyPushUrl(query, f.token), results: null };
  }
  return { message: mp.decryptPush({ query, body: f.body }, keys), results: null, safe };
}

export function runMp() {
  const f = values();
  const results = new Map();
  let out = {};
  let failure = null;
  try {
    if (!f.token) throw { code: 'INVALID_PARAM', message: ui.t('mpNeedToken') };
    out = check(f);
  } catch (e) {
    failure = e?.code ? e : { code: 'INVALID_PARAM', message: String(e?.message ? e.message : e) };
  }
  const safe = f.encodingAESKey !== '';
  if (failure && isSetupError(failure)) {
    for (const c of MP_CHECKS) results.set(c, ['skip', ui.errorText(failure)]);
  } else if (failure) {
    const at = MP_CHECKS.indexOf(failedCheck(failure));
    MP_CHECKS.forEach((c, i) => {
      results.set(c, i < at ? ['pass', ''] : i === at ? ['fail', ui.errorText(failure)] : ['skip', ui.t('afterFail')]);
    });
  } else {
    results.set('chkMpQuery', ['pass', '']);
    results.set('chkMpSign', ['pass', '']);
    const skip = out.echo !== undefined ? ui.t('mpUrlCheck') : ui.t('mpPlain');
    for (const c of ['chkMpDecrypt', 'chkMpAppid'])
      results.set(c, safe && out.echo === undefined ? ['pass', ''] : ['skip', skip]);
    results.set('chkMpParse', out.echo === undefined ? ['pass', ''] : ['skip', ui.t('mpUrlCheck')]);
  }
  render(results, out, failure);
}

function render(results, out, failure) {
  renderChecks($('mpChecks'), MP_CHECKS, results, ui.t);
  const verdict = $('mpVerdict');
  verdict.dataset.code = failure ? failure.code : '';
  if (failure) {
    verdict.className = 'verdict bad';
    verdict.textContent = `${ui.t('mpBad')} ${ui.errorText(failure)}`;
    $('mpMessage').textContent = '';
    $('mpReply').textContent = `HTTP 400\n\npush refused (${failure.code})`;
  } else if (out.echo !== undefined) {
    verdict.className = 'verdict ok';
    verdict.textContent = ui.t('mpUrlOk');
    $('mpMessage').textContent = '';
    $('mpReply').textContent = `HTTP 200\n\n${out.echo}`;
  } else {
    verdict.className = 'verdict ok';
    verdict.textContent = `${ui.t('mpOk')} ${out.message.Event ?? out.message.MsgType ?? ''}`.trim();
    $('mpMessage').textContent = JSON.stringify(out.message, null, 2);
    $('mpReply').textContent = 'HTTP 200\n\nsuccess';
  }
  $('mpOut').hidden = false;
  last = true;
}

/** Re-renders after a language change. */
export function refreshMp() {
  if (mp && last) runMp();
}

/**
 * Loads pkg/miniprogram/web and wires the tab. A failure leaves the other tabs working and
 * says so in this one; `body[data-mp]` tells tests which happened.
 */
export async function setupMp(helpers) {
  ui = helpers;
  try {
    const mod = await import('/pkg/miniprogram/web/index.js');
    if (typeof mod.init === 'function') await mod.init();
    mp = mod.default ?? mod;
  } catch (e) {
    ui.show($('mpLoadError'), `${ui.t('mpLoadFailed')} (${e.message})`);
    $('mpRun').disabled = true;
    document.body.dataset.mp = 'failed';
    return;
  }
  $('mpRun').addEventListener('click', runMp);
  document.body.dataset.mp = 'ready';
}
