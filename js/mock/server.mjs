// The mock WeChat Pay v2 server: WeChat's paths, checked and answered the way WeChat does,
// plus a control interface under /_mock/ that plays the payer and WeChat's notifier, and
// faults on demand (faults.mjs: the next N API calls dropped, failed or slow).
// The package itself (`wx`) is passed in, so this file runs from pkg/ or from a checkout.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { createApi, ENVELOPE } from './api.mjs';
import { MockError, fail } from './errors.mjs';
import { createNotifier } from './notifier.mjs';
import { Store } from './store.mjs';
import { createControl } from './control.mjs';
import { createFaults, v2SystemError, v3SystemError } from './faults.mjs';
import { maskKey } from './util.mjs';
import { createV3 } from './v3.mjs';
import { loadV3Keys } from './v3keys.mjs';

const MAX_BODY = 1024 * 1024;

/**
 * options: { wx, key, mchId?, appid?, timeScale = 1, stateFile?, refundDelay = 5 (seconds,
 * scaled; negative = only through the control interface), log = console.log, logBodies,
 * v3Keys? (loadV3Keys(); default: new keys in a temp folder), v3Mode? ('pubkey' | 'cert' |
 * 'migrating': which WeChat Pay key signs v3 answers and callbacks; default pubkey) }.
 */
export function createMock(options) {
  const { wx, key } = options;
  if (!key) throw new wx.WxPayError('INVALID_PARAM', 'the mock needs the merchant API key (--key or WXPAY_KEY)');
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new wx.WxPayError('INVALID_PARAM', `time scale must be a positive number, got ${options.timeScale}`);
  const print = options.log ?? ((line) => console.log(line));
  const log = (line) => print(`[mock ${new Date().toISOString().slice(11, 23)}] ${line}`);
  const config = {
    key, mchId: options.mchId, appid: options.appid, timeScale,
    refundDelay: options.refundDelay ?? 5,
    sandboxKey: createHash('md5').update(`wxpay-wasm-mock-sandbox:${key}`).digest('hex'),
  };
  const store = new Store(options.stateFile);
  const notifier = createNotifier({ wx, timeScale, log });
  const events = { log, refundCreated: (r) => control.refundCreated(r) };
  const api = createApi({ store, config, events });
  const v3Keys = options.v3Keys ?? loadV3Keys(undefined, { mchid: options.mchId, appid: options.appid });
  const v3 = createV3({ keys: v3Keys, store, notifier, config, log, mode: options.v3Mode });
  const control = createControl({ wx, store, config, notifier, api, v3, log });
  const faults = createFaults({ log });

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      log(`internal error on ${req.method} ${req.url}: ${e.stack || e}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'mock internal error\n');
    });
  });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://mock');
    const body = await readBody(req);
    if (url.pathname.startsWith('/_mock/') || url.pathname === '/_mock') {
      const { status, json } = faults.control(req.method, url.pathname, body) ?? await control.handle(req.method, url.pathname, body);
      if (req.method === 'POST' && url.pathname === '/_mock/reset' && status === 200) faults.clear();
      return send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(json, null, 2)}\n`);
    }
    if (url.pathname.startsWith('/v3/')) {
      const run = () => v3.handle(req, url, body, MAX_BODY);
      const reply = (r) => {
        if (options.logBodies) log(`  request: ${body.toString('utf8')}\n  reply: ${r.body}`);
        res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
        res.end(r.body);
      };
      const fault = faults.take(req.method, url.pathname);
      if (!fault) return reply(run());
      return faults.serve(fault, {
        run, send: reply, drop: () => req.socket.destroy(),
        systemError: () => v3SystemError((b) => v3.responseHeaders(b, req.headers), log, req.method, url.pathname + url.search),
      });
    }
    const handler = api[url.pathname];
    if (!handler || !ENVELOPE[url.pathname]) {
      log(`${req.method} ${url.pathname} → 404 (not a WeChat Pay v2 path)`);
      return send(res, 404, 'text/plain; charset=utf-8', `no such WeChat Pay v2 path: ${url.pathname}\n`);
    }
    const run = () => answer(req.method, url.pathname, handler, body);
    const reply = (r) => {
      if (options.logBodies) log(`  request: ${body.toString('utf8')}\n  reply: ${typeof r === 'string' ? r : '(bill)'}`);
      if (r.bill !== undefined) {
        const gz = Buffer.isBuffer(r.bill);
        return send(res, 200, gz ? 'application/octet-stream' : 'text/plain; charset=utf-8', r.bill);
      }
      return send(res, 200, 'text/xml; charset=utf-8', r);
    };
    const fault = faults.take(req.method, url.pathname);
    if (!fault) return reply(run());
    return faults.serve(fault, {
      run, send: reply, drop: () => req.socket.destroy(),
      systemError: () => answer(req.method, url.pathname, v2SystemError(url.pathname), body),
    });
  }

  /** Runs one WeChat call to its reply XML, logging one readable line. */
  function answer(method, path, handler, body) {
    let fields = {};
    let signType = 'MD5';
    try {
      fields = envelope(method, path, body);
      signType = fields.sign_type || 'MD5';
      const result = handler(fields);
      if (result.noBill) throw new MockError('No Bill Exist', 'No Bill Exist', { envelope: true });
      if (result.bill !== undefined) {
        log(`${path} bill_date=${fields.bill_date} → bill (${result.bill.length} bytes)`);
        return result;
      }
      const reply = signed({ return_code: 'SUCCESS', return_msg: 'OK', nonce_str: wx.nonceStr(), result_code: 'SUCCESS', ...result }, signType);
      log(`${path} ${summary(fields)} → SUCCESS ${summary(result, ['prepay_id', 'trade_state', 'refund_id', 'refund_count', 'sandbox_signkey'])}`);
      return reply;
    } catch (e) {
      if (!(e instanceof MockError)) throw e;
      log(`${path} ${summary(fields)} → FAIL ${e.code} (${e.message})`);
      if (e.envelope) return wx.toXml(clean({ return_code: 'FAIL', return_msg: e.message, err_code: e.code === 'No Bill Exist' ? undefined : e.code }));
      return signed({
        return_code: 'SUCCESS', return_msg: 'OK', appid: fields.appid, mch_id: fields.mch_id, nonce_str: wx.nonceStr(),
        result_code: 'FAIL', err_code: e.code, err_code_des: e.message,
      }, signType);
    }
  }

  /** WeChat's checks before it trusts a request, in its order. */
  function envelope(method, path, body) {
    const env = { envelope: true };
    if (method !== 'POST') throw fail('REQUIRE_POST_METHOD', undefined, env);
    if (!body.length) throw fail('POST_DATA_EMPTY', undefined, env);
    if (body.length > MAX_BODY) throw fail('XML_FORMAT_ERROR', 'body larger than 1 MiB', env);
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw fail('NOT_UTF8', undefined, env);
    }
    let fields;
    try {
      fields = wx.parseXml(text, { maxBytes: MAX_BODY });
    } catch (e) {
      throw fail('XML_FORMAT_ERROR', `${e.code}: ${e.message}`, env);
    }
    const missing = ENVELOPE[path].filter((n) => !fields[n]);
    if (missing.length) throw fail('LACK_PARAMS', `缺少参数 ${missing.join(', ')} (missing ${missing.join(', ')})`, env);
    if ((config.mchId && fields.mch_id !== config.mchId) || (config.appid && fields.appid !== undefined && fields.appid !== config.appid)) {
      throw fail('APPID_MCHID_NOT_MATCH', `appid ${fields.appid ?? '-'} / mch_id ${fields.mch_id} 不是本商户 (the mock serves appid ${config.appid ?? 'any'}, mch_id ${config.mchId ?? 'any'})`, env);
    }
    if (fields.sign_type && fields.sign_type !== 'MD5' && fields.sign_type !== 'HMAC-SHA256') {
      throw fail('SIGNERROR', `sign_type ${fields.sign_type} 不支持 (only MD5 and HMAC-SHA256)`, env);
    }
    let ok = false;
    try {
      ok = wx.verify(fields, key, fields.sign_type || 'MD5');
    } catch (e) {
      throw fail('SIGNERROR', `${e.code}: ${e.message}`, env);
    }
    if (!ok) throw fail('SIGNERROR', `签名与 ${fields.sign_type || 'MD5'} 计算结果不符 (sign does not match the API key)`, env);
    return fields;
  }

  function signed(fields, signType) {
    const f = clean(fields);
    f.sign = wx.sign(f, key, signType);
    return wx.toXml(f);
  }

  async function listen(port = 9080, host = '127.0.0.1') {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
    const addr = server.address();
    const url = `http://${addr.address}:${addr.port}`;
    log(`v3: keys ${v3.mode}, mchid ${v3Keys.config.mchid}, appid ${v3Keys.config.appid}, serial_no ${v3Keys.config.serialNo}, public key ${v3Keys.config.publicKeyId}, platform certificate ${v3Keys.config.platformSerial}, keys in ${v3Keys.dir}${v3Keys.created.length ? ` (created ${v3Keys.created.join(', ')})` : ''}`);
    log(`listening on ${url} — mch_id ${config.mchId ?? 'any'}, appid ${config.appid ?? 'any'}, key ${maskKey(key)}, time scale ${timeScale}, state ${options.stateFile ?? 'in memory'}, ${store.orders.size} orders loaded`);
    return url;
  }

  async function close() {
    notifier.stop();
    control.stop();
    faults.stop();
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  return { server, listen, close, store, config, v3Keys };
}

function clean(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

function summary(fields, names = ['out_trade_no', 'transaction_id', 'total_fee', 'out_refund_no', 'refund_fee', 'bill_date']) {
  return names.filter((n) => fields?.[n]).map((n) => `${n}=${fields[n]}`).join(' ');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY + 1) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

