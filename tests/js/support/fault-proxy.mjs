// The client tests' own fault proxy: sits between the client and the mock (both on
// 127.0.0.1) and, when `plan(request)` says so, misbehaves the way networks and WeChat do:
//   drop-before   the connection is closed before anything is forwarded
//   drop-after    the request is forwarded (it takes effect), then the connection is closed
//                 before the answer: the client cannot know the outcome
//   system-error  WeChat's "try again": v2 result_code FAIL / SYSTEMERROR (signed with the
//                 merchant key, node:crypto MD5), v3 500 SYSTEM_ERROR (signed with the mock's
//                 WeChat Pay key, node:crypto RSA-SHA256); nothing is forwarded
//   slow          forwarded at once, answered only after `slowMs` (past the client's timeout)
// Every fault is logged as { kind, api, ref } where ref is the out_trade_no / out_refund_no.
import { createServer, request as httpRequest } from 'node:http';
import { createHash, createSign, randomBytes } from 'node:crypto';

const md5Sign = (fields, key) =>
  createHash('md5')
    .update(
      `${Object.keys(fields)
        .filter((k) => fields[k] !== '')
        .sort()
        .map((k) => `${k}=${fields[k]}`)
        .join('&')}&key=${key}`,
    )
    .digest('hex')
    .toUpperCase();
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;

/** WeChat's field of a v2 XML body, by a regex (independent of the package's parser). */
const xmlField = (xml, name) => new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([^<\\]]*)`).exec(xml)?.[1];

/** The API and idempotency key a request is about. */
export function describeRequest(_method, path, body) {
  if (path.startsWith('/v3/')) {
    let json = {};
    try {
      json = body.length ? JSON.parse(body) : {};
    } catch {
      /* not JSON */
    }
    const m = /\/out-trade-no\/([^/?]+)/.exec(path) ?? /\/refunds\/([^/?]+)/.exec(path);
    const api = path.startsWith('/v3/refund/domestic/refunds/')
      ? 'queryRefund'
      : path === '/v3/refund/domestic/refunds'
        ? 'refund'
        : path.endsWith('/close')
          ? 'close'
          : path === '/v3/pay/transactions/jsapi'
            ? 'jsapi'
            : 'queryByOutTradeNo';
    return { family: 'v3', api, ref: json.out_refund_no ?? json.out_trade_no ?? (m && decodeURIComponent(m[1])) };
  }
  const api =
    {
      '/pay/unifiedorder': 'unifiedOrder',
      '/pay/orderquery': 'orderQuery',
      '/pay/closeorder': 'closeOrder',
      '/secapi/pay/refund': 'refund',
      '/pay/refundquery': 'refundQuery',
    }[path] ?? path;
  return { family: 'v2', api, ref: xmlField(body, 'out_refund_no') ?? xmlField(body, 'out_trade_no') };
}

/**
 * target: the mock's URL; key: the v2 merchant key; wechatPrivateKey: the mock's v3 signing
 * key (a KeyObject); serial: the key's Wechatpay-Serial; plan({ family, api, ref, method,
 * path }) → a kind above or null; slowMs.
 */
export async function startFaultProxy({ target, key, wechatPrivateKey, serial, plan, slowMs = 400 }) {
  const to = new URL(target);
  const log = [];
  const forward = (req, body) =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  const systemError = (family, body) => {
    if (family === 'v2') {
      const f = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        appid: xmlField(body, 'appid'),
        mch_id: xmlField(body, 'mch_id'),
        nonce_str: randomBytes(8).toString('hex'),
        result_code: 'FAIL',
        err_code: 'SYSTEMERROR',
        err_code_des: '系统超时',
      };
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from(xmlOf({ ...f, sign: md5Sign(f, key) })),
      };
    }
    const text = JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' });
    const ts = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const sig = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${text}\n`).sign(wechatPrivateKey, 'base64');
    return {
      status: 500,
      body: Buffer.from(text),
      headers: {
        'content-type': 'application/json',
        'wechatpay-timestamp': String(ts),
        'wechatpay-nonce': nonce,
        'wechatpay-signature': sig,
        'wechatpay-serial': serial,
      },
    };
  };
  let inflight = 0;
  const server = createServer(async (req, res) => {
    inflight++;
    res.on('close', () => {
      inflight--;
    });
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const path = req.url.split('?')[0];
    const about = path.startsWith('/_mock') ? null : describeRequest(req.method, path, body.toString('utf8'));
    const kind = about ? plan({ ...about, method: req.method, path }) : null;
    if (kind) log.push({ kind, ...about });
    try {
      if (kind === 'drop-before') return req.socket.destroy();
      if (kind === 'system-error') {
        const r = systemError(about.family, body.toString('utf8'));
        res.writeHead(r.status, r.headers);
        return res.end(r.body);
      }
      const r = await forward(req, body);
      if (kind === 'drop-after') return req.socket.destroy();
      if (kind === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs));
      if (res.destroyed) return undefined;
      const { 'transfer-encoding': _t, connection: _c, ...headers } = r.headers;
      res.writeHead(r.status, headers);
      return res.end(r.body);
    } catch {
      return req.socket.destroy();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    log,
    /** Resolves when no request is inside the proxy (a slow one still being held, a forward under way). */
    idle: async () => {
      while (inflight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A deterministic PRNG (mulberry32), so a failing run can be repeated with its seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
