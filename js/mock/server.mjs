// The mock WeChat Pay v2 server: WeChat's paths, checked and answered the way WeChat does,
// plus a control interface under /_mock/ that plays the payer and WeChat's notifier, and
// faults on demand (faults.mjs: the next N API calls dropped, failed or slow). On the same port,
// the mini-program platform (miniprogram.mjs: /sns/, /cgi-bin/, /wxa/, /xpay/ and /_mock/miniprogram/).
// The package itself (`wx`) is passed in, so this file runs from pkg/ or from a checkout.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { createApi, ENVELOPE } from './api.mjs';
import { createNotifier } from './notifier.mjs';
import { Store } from './store.mjs';
import { createControl } from './control.mjs';
import { createFaults, v2SystemError, v3SystemError } from './faults.mjs';
import { maskKey } from './util.mjs';
import { MAX_BODY, answer } from './v2/answer.mjs';
import { createV3 } from './v3.mjs';
import { loadV3Keys } from './v3keys.mjs';
import { createMiniProgram, isControlPath, isMiniProgramPath } from './miniprogram.mjs';

/**
 * options: { wx, key, mchId?, appid?, timeScale = 1, stateFile?, refundDelay = 5 (seconds,
 * scaled; negative = only through the control interface), log = console.log, logBodies,
 * v3Keys? (loadV3Keys(); default: new keys in a temp folder), v3Mode? ('pubkey' | 'cert' |
 * 'migrating': which WeChat Pay key signs v3 answers and callbacks; default pubkey),
 * miniprogram? ({ appid?, secret?, appKey?, sandboxAppKey?, push?: { url, token, encodingAESKey,
 * mode, format }, tradeManaged? }: the mini-program platform, js/mock/miniprogram.mjs; appid
 * defaults to --appid, else the v3 keys' appid) }.
 */
export function createMock(options) {
  const { wx, key } = options;
  if (!key) throw new wx.WxPayError('INVALID_PARAM', 'the mock needs the merchant API key (--key or WXPAY_KEY)');
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0))
    throw new wx.WxPayError('INVALID_PARAM', `time scale must be a positive number, got ${options.timeScale}`);
  const print = options.log ?? ((line) => console.log(line));
  const log = (line) => print(`[mock ${new Date().toISOString().slice(11, 23)}] ${line}`);
  const config = {
    key,
    mchId: options.mchId,
    appid: options.appid,
    timeScale,
    refundDelay: options.refundDelay ?? 5,
    sandboxKey: createHash('md5').update(`wxpay-wasm-mock-sandbox:${key}`).digest('hex'),
  };
  const store = new Store(options.stateFile);
  const notifier = createNotifier({ wx, timeScale, log });
  const events = { log, refundCreated: (r) => control.refundCreated(r) };
  const api = createApi({ store, config, events });
  const v3Keys = options.v3Keys ?? loadV3Keys(undefined, { mchid: options.mchId, appid: options.appid });
  const faults = createFaults({ log });
  const v3 = createV3({ keys: v3Keys, store, notifier, config, log, mode: options.v3Mode, faults });
  const control = createControl({ wx, store, config, notifier, api, v3, log });
  const miniprogram = createMiniProgram({
    options: options.miniprogram ?? {},
    appid: options.appid ?? v3Keys.config.appid,
    key,
    store,
    notifier,
    config,
    log,
  });
  const ctx = { wx, key, config, log, api, v3, control, faults, miniprogram, logBodies: options.logBodies };

  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((e) => {
      log(`internal error on ${req.method} ${req.url}: ${e.stack || e}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'mock internal error\n');
    });
  });

  async function listen(port = 9080, host = '127.0.0.1') {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    const url = `http://${addr.address}:${addr.port}`;
    log(
      `v3: keys ${v3.mode}, mchid ${v3Keys.config.mchid}, appid ${v3Keys.config.appid}, serial_no ${v3Keys.config.serialNo}, public key ${v3Keys.config.publicKeyId}, platform certificate ${v3Keys.config.platformSerial}, keys in ${v3Keys.dir}${v3Keys.created.length ? ` (created ${v3Keys.created.join(', ')})` : ''}`,
    );
    log(
      `mini-program platform: appid ${miniprogram.config.appid}, secret ${maskKey(miniprogram.config.secret)} (GET /_mock/miniprogram), /sns/jscode2session, /cgi-bin/stable_token, /wxa/sec/order/*, /xpay/*; push ${miniprogram.pushUrl() ?? 'URL not set (POST /_mock/miniprogram/push-config)'}`,
    );
    log(
      `listening on ${url} — mch_id ${config.mchId ?? 'any'}, appid ${config.appid ?? 'any'}, key ${maskKey(key)}, time scale ${timeScale}, state ${options.stateFile ?? 'in memory'}, ${store.orders.size} orders loaded`,
    );
    return url;
  }

  async function close() {
    notifier.stop();
    control.stop();
    faults.stop();
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  return { server, listen, close, store, config, v3Keys, miniprogram: miniprogram.config };
}

/** One HTTP request: the control interface, WeChat Pay v3 or v2 (`ctx` is createMock's). */
async function handle(ctx, req, res) {
  const url = new URL(req.url, 'http://mock');
  const body = await readBody(req);
  if (url.pathname.startsWith('/_mock/') || url.pathname === '/_mock') return serveControl(ctx, req, res, url, body);
  if (url.pathname.startsWith('/v3/')) return serveV3(ctx, req, res, url, body);
  if (isMiniProgramPath(url.pathname)) return serveMiniProgram(ctx, req, res, url, body);
  return serveV2(ctx, req, res, url, body);
}

async function serveControl({ faults, control, miniprogram }, req, res, url, body) {
  const { status, json } =
    faults.control(req.method, url.pathname, body) ??
    (isControlPath(url.pathname)
      ? await miniprogram.control(req.method, url.pathname, body)
      : await control.handle(req.method, url.pathname, body));
  if (req.method === 'POST' && url.pathname === '/_mock/reset' && status === 200) {
    faults.clear();
    miniprogram.reset();
  }
  return send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(json, null, 2)}\n`);
}

function serveV3({ v3, faults, log, logBodies }, req, res, url, body) {
  const run = () => v3.handle(req, url, body, MAX_BODY);
  const reply = (r) => {
    if (logBodies) log(`  request: ${body.toString('utf8')}\n  reply: ${r.body}`);
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  };
  return withFault(faults, req, url, run, reply, () =>
    v3SystemError((b) => v3.responseHeaders(b, req.headers), log, req.method, url.pathname + url.search),
  );
}

/** A mini-program platform call (js/mock/miniprogram.mjs), under the faults as the Pay APIs are. */
function serveMiniProgram({ miniprogram, faults, log, logBodies }, req, res, url, body) {
  const reply = (r) => {
    if (logBodies) log(`  request: ${body.toString('utf8')}\n  reply: ${r.body}`);
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  };
  return withFault(
    faults,
    req,
    url,
    () => miniprogram.handle(req, url, body),
    reply,
    () => miniprogram.systemError(),
  );
}

/**
 * One API call, under the next queued fault if there is one (js/mock/faults.mjs): `run()`
 * carries it out, `reply(r)` answers, `systemError()` is WeChat's "down" answer.
 */
function withFault(faults, req, url, run, reply, systemError) {
  const fault = faults.take(req.method, url.pathname);
  if (!fault) return reply(run());
  return faults.serve(fault, { run, send: reply, drop: () => req.socket.destroy(), systemError });
}

function serveV2(ctx, req, res, url, body) {
  const { api, faults, log, logBodies } = ctx;
  const handler = api[url.pathname];
  if (!handler || !ENVELOPE[url.pathname]) {
    log(`${req.method} ${url.pathname} → 404 (not a WeChat Pay v2 path)`);
    return send(res, 404, 'text/plain; charset=utf-8', `no such WeChat Pay v2 path: ${url.pathname}\n`);
  }
  const run = () => answer(ctx, req.method, url.pathname, handler, body);
  const reply = (r) => {
    if (logBodies) log(`  request: ${body.toString('utf8')}\n  reply: ${typeof r === 'string' ? r : '(bill)'}`);
    if (r.bill !== undefined) {
      const gz = Buffer.isBuffer(r.bill);
      return send(res, 200, gz ? 'application/octet-stream' : 'text/plain; charset=utf-8', r.bill);
    }
    return send(res, 200, 'text/xml; charset=utf-8', r);
  };
  return withFault(faults, req, url, run, reply, () =>
    answer(ctx, req.method, url.pathname, v2SystemError(url.pathname), body),
  );
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
