// The debugging page. Every computation is a call into the wxpay-wasm core (the same
// Rust/wasm the Node package runs); this file only reads inputs and shows results.
// Nothing here talks to the network, and the API key stays in memory unless the user
// explicitly asks to save it.
import { TEXT, CAUSES_ZH, ERRORS_ZH } from './i18n.js';
import { renderChecks } from './checks.js';
import { maskKey } from './mask.js';
import { refreshV3, setupV3 } from './v3.js';
import { refreshMp, setupMp } from './miniprogram.js';

const $ = (id) => document.getElementById(id);
const STORE = 'wxpay-wasm-debug';
let wx;
let lang = 'zh';
const t = (k) => TEXT[lang][k] ?? k;

// ---------- small helpers ----------

function show(el, text) {
  el.textContent = text ?? '';
  el.hidden = !text;
}

/** Reads XML, JSON or `k=v&k=v` into a parameter object; JSON objects (detail) become compact JSON text. */
function parseAny(text) {
  const s = text.trim();
  if (!s) return {};
  if (s.startsWith('<')) return wx.parseXml(s);
  if (s.startsWith('{')) {
    const obj = JSON.parse(s);
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('JSON must be an object');
    const out = {};
    for (const [k, v] of Object.entries(obj)) {
      if (v === null || v === undefined) continue;
      out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return out;
  }
  const out = {};
  for (const part of s.split(/&|\r?\n/)) {
    if (!part) continue;
    const i = part.indexOf('=');
    if (i < 0) out[part] = '';
    else out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/** An error for people: in Chinese, the code's name first, then the core's English sentence. */
function errorText(e) {
  if (!e?.code) return String(e?.message ? e.message : e);
  const zh = lang === 'zh' && ERRORS_ZH[e.code];
  return zh ? `${zh}（${e.code}）：${e.message}` : `${e.code}: ${e.message}`;
}

function key() {
  return $('key').value;
}

/** Clears the field-level errors of a form. */
function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  for (const el of form.querySelectorAll('.field-error')) el.remove();
}

/** Puts an error under the input it concerns; false when the form has no such input. */
function fieldError(form, name, message) {
  const input = name && form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (!input) return false;
  input.classList.add('invalid');
  input.setAttribute('aria-invalid', 'true');
  const div = document.createElement('div');
  div.className = 'field-error';
  div.dataset.field = name;
  div.textContent = message;
  input.after(div);
  return true;
}

function formValues(form) {
  const out = {};
  for (const el of form.querySelectorAll('[name]')) {
    el.removeAttribute('aria-invalid');
    if (el.value !== '') out[el.name] = el.value;
  }
  return out;
}

function addCopyButtons() {
  for (const pre of document.querySelectorAll('pre.copyable')) {
    const wrap = document.createElement('div');
    wrap.className = 'copywrap';
    pre.replaceWith(wrap);
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'copy';
    btn.dataset.i18n = 'copy';
    btn.textContent = t('copy');
    btn.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
      } catch {
        const range = document.createRange();
        range.selectNodeContents(pre);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
      }
      btn.textContent = t('copied');
      setTimeout(() => {
        btn.textContent = t('copy');
      }, 1200);
    });
    wrap.append(btn, pre);
  }
}

// ---------- 1. Sign ----------

const DOC_EXAMPLE = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};

function addRow(name = '', value = '') {
  const tr = document.createElement('tr');
  const cell = (cls, v) => {
    const td = document.createElement('td');
    const input = document.createElement('input');
    input.className = cls;
    input.value = v;
    input.spellcheck = false;
    input.setAttribute('aria-label', t(cls === 'pname' ? 'name' : 'value'));
    td.append(input);
    return td;
  };
  const del = document.createElement('td');
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = 'small ghost del';
  btn.textContent = '×';
  btn.title = t('remove');
  btn.addEventListener('click', () => {
    tr.remove();
    updateSign();
  });
  del.append(btn);
  tr.append(cell('pname', name), cell('pvalue', value), del);
  $('signTable').tBodies[0].append(tr);
  return tr;
}

function setRows(obj) {
  $('signTable').tBodies[0].replaceChildren();
  for (const [k, v] of Object.entries(obj)) addRow(k, v);
}

function readRows() {
  const out = {};
  for (const tr of $('signTable').tBodies[0].rows) {
    const name = tr.querySelector('.pname').value.trim();
    if (!name) continue;
    if (Object.hasOwn(out, name))
      throw Object.assign(new Error(`field \`${name}\` appears twice`), { code: 'DUPLICATE_FIELD' });
    out[name] = tr.querySelector('.pvalue').value;
  }
  return out;
}

function updateSign() {
  const outs = ['signString', 'signMd5', 'signHmac', 'signXml'];
  show($('signError'), '');
  try {
    const p = readRows();
    const k = key();
    if (!k) {
      for (const id of outs) $(id).textContent = '';
      $('signString').textContent = wx.signingString(p);
      show($('signError'), t('needKey'));
      return;
    }
    const base = wx.signingString(p);
    $('signString').textContent = `${base}${base ? '&' : ''}key=${maskKey(k)}`;
    const md5 = wx.sign(p, k, 'MD5');
    const hmac = wx.sign(p, k, 'HMAC-SHA256');
    $('signMd5').textContent = md5;
    $('signHmac').textContent = hmac;
    const chosen = $('signType').value === 'MD5' ? md5 : hmac;
    $('signMd5').classList.toggle('chosen', chosen === md5);
    $('signHmac').classList.toggle('chosen', chosen === hmac);
    $('signXml').textContent = wx.toXml({ ...p, sign: chosen });
  } catch (e) {
    for (const id of outs) $(id).textContent = '';
    show($('signError'), errorText(e));
  }
}

function importSign() {
  show($('signPasteError'), '');
  try {
    setRows(parseAny($('signPaste').value));
    updateSign();
  } catch (e) {
    show($('signPasteError'), errorText(e));
  }
}

// ---------- 2. Diagnose ----------

// diagnoseSign has its own wasm (a server's does not carry it): loaded at the first diagnosis.
async function runDiagnose() {
  show($('diagError'), '');
  $('diagOut').hidden = true;
  const k = key();
  if (!k) return show($('diagError'), t('needKey'));
  let d;
  try {
    await wx.initDiagnose();
    const p = parseAny($('diagParams').value);
    const type = $('diagType').value || undefined;
    d = wx.diagnoseSign(p, k, $('diagSign').value, type);
  } catch (e) {
    return show($('diagError'), errorText(e));
  }
  const given = $('diagSign').value.trim();
  const verdict = $('diagVerdict');
  verdict.className = `verdict ${d.match ? 'ok' : 'bad'}`;
  if (d.match) verdict.textContent = t('diagMatch');
  else if (d.cause) verdict.textContent = t('diagFound') + (lang === 'zh' ? CAUSES_ZH : wx.DIAGNOSIS_TEXTS)[d.cause];
  else if (given && !/^([0-9a-fA-F]{32}|[0-9a-fA-F]{64})$/.test(given)) verdict.textContent = t('diagNotSign');
  else verdict.textContent = t('diagNoCause');
  verdict.dataset.cause = d.cause || '';
  $('diagCause').textContent = d.cause || (d.match ? 'MATCH' : '—');
  $('diagVariant').textContent = d.variant || '—';
  $('diagSignType').textContent = d.signType;
  $('diagComputed').textContent = d.computedSign;
  $('diagString').textContent = d.signingString;
  $('diagOut').hidden = false;
  lastDiagnosis = runDiagnose;
}
let lastDiagnosis = null;

// ---------- 3. Unified order ----------

const ORDER_EXAMPLE = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  body: '腾讯充值中心-QQ会员充值',
  out_trade_no: '20150806125346',
  total_fee: '88',
  spbill_create_ip: '123.12.12.123',
  notify_url: 'https://example.com/wxpay/notify',
  trade_type: 'JSAPI',
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
};

function updateOrder() {
  const form = $('orderForm');
  clearFieldErrors(form);
  show($('orderError'), '');
  $('orderXml').textContent = '';
  const k = key();
  if (!k) show($('orderError'), t('needKey'));
  else {
    try {
      $('orderXml').textContent = wx.buildUnifiedOrderXml(formValues(form), { key: k, signType: $('orderType').value });
    } catch (e) {
      if (!fieldError(form, e.field, errorText(e))) show($('orderError'), errorText(e));
    }
  }
  updatePay();
}

function updatePay() {
  const form = $('payForm');
  clearFieldErrors(form);
  show($('payError'), '');
  const v = formValues(form);
  const out = $('payOut');
  if (!v.prepayId) {
    out.textContent = t('payNeedPrepay');
    return;
  }
  const k = key();
  if (!k) {
    out.textContent = '';
    return show($('payError'), t('needKey'));
  }
  try {
    const opts = {
      appId: $('orderForm').querySelector('[name=appid]').value,
      prepayId: v.prepayId,
      key: k,
      signType: $('orderType').value,
    };
    if (v.timeStamp) opts.timeStamp = v.timeStamp;
    if (v.nonceStr) opts.nonceStr = v.nonceStr;
    out.textContent = JSON.stringify(wx.requestPaymentParams(opts), null, 2);
  } catch (e) {
    out.textContent = '';
    const name = e.field === 'appId' ? null : e.field;
    if (e.field === 'appId') fieldError($('orderForm'), 'appid', errorText(e));
    else if (!fieldError(form, name, errorText(e))) show($('payError'), errorText(e));
  }
}

// ---------- 4. Verify notification ----------

const CHECKS = [
  'chkXml',
  'chkReturn',
  'chkSignPresent',
  'chkSign',
  'chkAppid',
  'chkMch',
  'chkOtn',
  'chkFee',
  'chkPaid',
];
const EXPECT = { chkAppid: 'appid', chkMch: 'mchId', chkOtn: 'outTradeNo', chkFee: 'totalFee' };

/** Which check a verifyNotify error belongs to. */
function failedCheck(e) {
  switch (e.code) {
    case 'RETURN_FAIL':
      return 'chkReturn';
    case 'MISSING_FIELD':
      return e.field === 'return_code' ? 'chkReturn' : 'chkXml';
    case 'SIGN_MISSING':
      return 'chkSignPresent';
    case 'SIGN_MISMATCH':
    case 'UNSUPPORTED_SIGN_TYPE':
      return 'chkSign';
    default:
      return 'chkXml';
  }
}

function runVerify() {
  const k = key();
  const xml = $('verifyXml').value;
  const results = new Map();
  const opts = { key: k };
  if ($('verifyType').value) opts.signType = $('verifyType').value;
  let fields = null;
  let verified = null;
  let failure = null;
  try {
    fields = wx.parseXml(xml);
  } catch {
    /* reported by verifyNotify below */
  }
  try {
    verified = wx.verifyNotify(xml, opts);
  } catch (e) {
    failure = e;
  }
  if (!k) failure = { code: 'INVALID_PARAM', message: t('needKey') };
  if (failure && failure.code === 'INVALID_PARAM') {
    for (const c of CHECKS) results.set(c, ['skip', failure.message]);
  } else if (failure) {
    const at = CHECKS.indexOf(failedCheck(failure));
    CHECKS.forEach((c, i) => {
      results.set(c, i < at ? ['pass', ''] : i === at ? ['fail', errorText(failure)] : ['skip', t('afterFail')]);
    });
  } else {
    for (const c of CHECKS.slice(0, 4)) results.set(c, ['pass', '']);
    const expect = formValues($('verifyExpect'));
    for (const [c, name] of Object.entries(EXPECT)) {
      if (!expect[name]) {
        results.set(c, ['skip', t('notGiven')]);
        continue;
      }
      try {
        wx.verifyNotify(xml, { ...opts, [name]: expect[name] });
        results.set(c, ['pass', '']);
      } catch (e) {
        results.set(c, ['fail', errorText(e)]);
      }
    }
    const why = [verified.result_code, verified.err_code, verified.err_code_des].filter(Boolean).join(' ');
    results.set('chkPaid', verified.paid ? ['pass', ''] : ['fail', `result_code ${why}`]);
  }
  renderVerify(results, fields, verified, failure);
}

function renderVerify(results, fields, verified, failure) {
  renderChecks($('verifyChecks'), CHECKS, results, t);
  const expectFailed = [...results.values()].slice(4, 8).some(([s]) => s === 'fail');
  const genuine = !failure;
  const verdict = $('verifyVerdict');
  if (genuine && !expectFailed) {
    verdict.className = `verdict ${verified.paid ? 'ok' : 'warn'}`;
    verdict.textContent = t(verified.paid ? 'verifyOk' : 'verifyUnpaid');
  } else {
    verdict.className = 'verdict bad';
    verdict.textContent = t('verifyBad');
  }
  $('verifyDiagnose').hidden = results.get('chkSign')[0] !== 'fail';
  const tbody = $('verifyFields');
  tbody.replaceChildren();
  for (const [name, value] of Object.entries(fields || {})) {
    const tr = tbody.insertRow();
    tr.insertCell().textContent = name;
    tr.insertCell().textContent = value;
  }
  $('verifyFields').closest('table').previousElementSibling.textContent = t(genuine ? 'fields' : 'fieldsUnverified');
  // WeChat retries until it hears SUCCESS: acknowledge genuine notifications (paid or not);
  // answer FAIL for anything that failed a check, so the problem stays visible.
  let reply;
  if (genuine && !expectFailed) reply = wx.notifyReply(true);
  else if (failure) reply = wx.notifyReply(false, failure.code === 'SIGN_MISMATCH' ? 'SIGNERROR' : failure.code);
  else reply = wx.notifyReply(false, 'ORDER_MISMATCH');
  $('verifyReply').textContent = reply;
  $('verifyOut').hidden = false;
  lastVerify = true;
}
let lastVerify = false;

function diagnoseFromVerify() {
  $('diagParams').value = $('verifyXml').value;
  $('diagSign').value = '';
  $('diagType').value = $('verifyType').value;
  selectTab('diagnose');
  runDiagnose();
}

// ---------- 5. Make a test notification ----------

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}
function nowStamp(d = new Date()) {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}
function randomDigits(n) {
  const a = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(a, (b) => b % 10).join('');
}

const MAKE_EXAMPLE = () => ({
  appid: ORDER_EXAMPLE.appid,
  mch_id: ORDER_EXAMPLE.mch_id,
  out_trade_no: ORDER_EXAMPLE.out_trade_no,
  total_fee: ORDER_EXAMPLE.total_fee,
  openid: ORDER_EXAMPLE.openid,
  transaction_id: `4200${randomDigits(6)}${nowStamp().slice(0, 8)}${randomDigits(10)}`,
  time_end: nowStamp(),
  result_code: 'SUCCESS',
  trade_type: 'JSAPI',
  bank_type: 'OTHERS',
});

/** Single-quotes a string for POSIX shells. */
function shellQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function updateMake() {
  const form = $('makeForm');
  clearFieldErrors(form);
  $('makeUrl').classList.remove('invalid');
  show($('makeError'), '');
  $('makeXml').textContent = '';
  $('makeCurl').textContent = '';
  const k = key();
  if (!k) return show($('makeError'), t('needKey'));
  let xml;
  try {
    xml = wx.buildNotifyXml(formValues(form), { key: k, signType: $('makeType').value });
  } catch (e) {
    if (!fieldError(form, e.field, errorText(e))) show($('makeError'), errorText(e));
    return;
  }
  $('makeXml').textContent = xml;
  const url = $('makeUrl').value.trim();
  if (!/^https?:\/\/[^\s/?#]+/.test(url)) {
    $('makeUrl').classList.add('invalid');
    return show($('makeError'), t('badNotifyUrl'));
  }
  $('makeCurl').textContent =
    `curl -sS -X POST -H 'Content-Type: text/xml' \\\n  --data-binary ${shellQuote(xml)} \\\n  ${shellQuote(url)}`;
}

function makeToVerify() {
  if (!$('makeXml').textContent) return;
  $('verifyXml').value = $('makeXml').textContent;
  const v = formValues($('makeForm'));
  const ex = $('verifyExpect');
  for (const [from, to] of [
    ['appid', 'appid'],
    ['mch_id', 'mchId'],
    ['out_trade_no', 'outTradeNo'],
    ['total_fee', 'totalFee'],
  ]) {
    ex.querySelector(`[name=${to}]`).value = v[from] || '';
  }
  $('verifyType').value = '';
  selectTab('verify');
  runVerify();
}

// ---------- tabs, language, saved state ----------

function selectTab(name) {
  for (const b of document.querySelectorAll('.tabs button'))
    b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== `panel-${name}`;
  // The v2 API key is not used by the v3 tab, which has its own keys.
  $('keyForm').hidden = name === 'v3';
}

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('title')} · wxpay-wasm`;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-ph]')) el.placeholder = t(el.dataset.i18nPh);
  for (const el of document.querySelectorAll('.pname, .pvalue'))
    el.setAttribute('aria-label', t(el.classList.contains('pname') ? 'name' : 'value'));
  for (const el of document.querySelectorAll('.del')) el.title = t('remove');
  $('lang').textContent = lang === 'zh' ? 'English' : '中文';
  $('showKey').textContent = t($('key').type === 'password' ? 'show' : 'hide');
  refresh();
}

function refresh() {
  updateSign();
  updateOrder();
  updateMake();
  if (lastDiagnosis) runDiagnose();
  if (lastVerify) runVerify();
  refreshV3();
  refreshMp();
}

/**
 * Everything the user typed, keyed by panel and input; the keys (the v2 API key and the
 * v3 inputs marked data-secret: private key, APIv3 key) only when asked for.
 */
function collectState(withKey) {
  const state = {
    lang,
    rows: [...$('signTable').tBodies[0].rows].map((tr) => [
      tr.querySelector('.pname').value,
      tr.querySelector('.pvalue').value,
    ]),
    inputs: {},
  };
  for (const el of document.querySelectorAll('main [id], main [name]')) {
    if (!('value' in el) || el.tagName === 'BUTTON' || el.tagName === 'PRE') continue;
    if (el.dataset.secret && !withKey) continue;
    if (el.type === 'checkbox') continue;
    const id = el.id || `${el.closest('[id]').id}/${el.name}`;
    state.inputs[id] = el.value;
  }
  if (withKey) state.key = key();
  return state;
}

function restoreState(state) {
  if (state.lang === 'en' || state.lang === 'zh') lang = state.lang;
  if (Array.isArray(state.rows)) {
    $('signTable').tBodies[0].replaceChildren();
    for (const [k, v] of state.rows) addRow(String(k), String(v));
  }
  for (const [id, value] of Object.entries(state.inputs || {})) {
    const [owner, name] = id.split('/');
    const el = name
      ? document.getElementById(owner)?.querySelector(`[name="${CSS.escape(name)}"]`)
      : document.getElementById(id);
    if (el) el.value = value;
  }
  if (typeof state.key === 'string') {
    $('key').value = state.key;
    $('saveKey').checked = true;
  }
}

function save() {
  const withKey = $('saveKey').checked;
  try {
    localStorage.setItem(STORE, JSON.stringify(collectState(withKey)));
    $('saveStatus').textContent = t(withKey ? 'savedWithKey' : 'saved');
  } catch (e) {
    $('saveStatus').textContent = errorText(e);
  }
}

function forget() {
  try {
    localStorage.removeItem(STORE);
  } catch {
    /* storage disabled: nothing saved */
  }
  $('saveStatus').textContent = t('forgotten');
}

function loadSaved() {
  try {
    const raw = localStorage.getItem(STORE);
    if (!raw) return false;
    restoreState(JSON.parse(raw));
    return true;
  } catch {
    return false;
  }
}

function fill(form, values) {
  for (const [name, v] of Object.entries(values)) {
    const el = form.querySelector(`[name="${name}"]`);
    if (el) el.value = v;
  }
}

async function main() {
  try {
    const mod = await import('/pkg/web/index.js');
    await mod.init();
    wx = mod.default;
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `${TEXT[lang].loadFailed} (${e.message})`;
    document.querySelector('main').prepend(p);
    return;
  }
  setRows(DOC_EXAMPLE);
  fill($('orderForm'), ORDER_EXAMPLE);
  fill($('makeForm'), MAKE_EXAMPLE());
  addCopyButtons();
  const restored = loadSaved();

  for (const b of document.querySelectorAll('.tabs button'))
    b.addEventListener('click', () => selectTab(b.dataset.tab));
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    applyLang();
  });
  $('showKey').addEventListener('click', () => {
    $('key').type = $('key').type === 'password' ? 'text' : 'password';
    $('showKey').textContent = t($('key').type === 'password' ? 'show' : 'hide');
  });
  $('key').addEventListener('input', refresh);
  $('keyForm').addEventListener('submit', (e) => e.preventDefault());
  $('signTable').addEventListener('input', updateSign);
  $('signType').addEventListener('change', updateSign);
  $('signAdd').addEventListener('click', () => {
    addRow().querySelector('input').focus();
  });
  $('signClear').addEventListener('click', () => {
    setRows({});
    addRow();
    updateSign();
  });
  $('signImport').addEventListener('click', importSign);
  $('diagRun').addEventListener('click', runDiagnose);
  $('diagFromSign').addEventListener('click', () => {
    try {
      $('diagParams').value = wx.toXml(readRows());
    } catch (e) {
      show($('diagError'), errorText(e));
    }
  });
  $('orderForm').addEventListener('input', updateOrder);
  $('orderForm').addEventListener('change', updateOrder);
  $('payForm').addEventListener('input', updatePay);
  $('verifyRun').addEventListener('click', runVerify);
  $('verifyDiagnose').addEventListener('click', diagnoseFromVerify);
  $('makeForm').addEventListener('input', updateMake);
  $('makeForm').addEventListener('change', updateMake);
  $('makeToVerify').addEventListener('click', makeToVerify);
  $('saveState').addEventListener('click', save);
  $('clearState').addEventListener('click', forget);

  selectTab('sign');
  applyLang();
  if (restored) $('saveStatus').textContent = t('restored');
  document.body.dataset.ready = 'true';
  setupV3({ t, errorText, show });
  setupMp({ t, errorText, show });
}

main();
