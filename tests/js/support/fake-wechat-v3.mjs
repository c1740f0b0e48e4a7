// A fake WeChat Pay v3 for the client's tests (issue 27), written with node:http and
// node:crypto only, from WeChat's documented rules — it imports nothing of the package under
// test, so what it accepts is judged independently:
// - every request's Authorization (WECHATPAY2-SHA256-RSA2048) is verified with the
//   merchant's public key over `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, URL and body being the
//   exact bytes received; the mchid and serial_no in it must be the merchant's;
// - `Wechatpay-Serial` must name the platform key (`requireSerial: false` turns this off);
// - `decrypt(b64)` opens an RSA-OAEP (SHA-1) field with the platform private key;
// - answers are signed with the platform key over `TIMESTAMP\nNONCE\nBODY\n`.
// A refused request is answered as WeChat does (401 SIGN_ERROR, 400 PARAM_ERROR), signed.
//
// Routes are the test's: `{ 'POST /v3/pay/transactions/native': (req) => answer, … }`, a key
// being a method and a path that may hold `{name}` segments (matched one segment each,
// decoded into req.params). A handler gets `{ method, url, path, params, query, headers,
// body (text), json }` and returns `{ status = 200, json | body, headers, forge, unsigned,
// drop, signer }`: `forge` signs with another key under the platform serial, `unsigned` sends
// no signature, `drop` destroys the connection without an answer (a lost answer), `signer`
// ({ serial, privateKey }) signs with another platform key (an older certificate). Every request
// is recorded in `fake.requests` (with `verified`, the Authorization's verdict, `bytes` the raw
// body and `json` the parsed one when its content type is JSON).
import { createServer } from 'node:http';
import {
  constants,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';

const pem = (k, type) => k.export({ type, format: 'pem' });

/** A fresh RSA-2048 pair as PEM: { privateKey (PKCS#8), publicKey (SPKI) }. */
export function rsaPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: pem(privateKey, 'pkcs8'), publicKey: pem(publicKey, 'spki') };
}

/** `WECHATPAY2-SHA256-RSA2048 k="v",…` → { k: v }, or null when malformed. */
export function parseAuthorization(h) {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(h ?? '');
  if (!m) return null;
  const out = {};
  for (const part of m[1].split(',')) {
    const kv = /^\s*(\w+)="([^"]*)"\s*$/.exec(part);
    if (!kv || Object.hasOwn(out, kv[1])) return null;
    out[kv[1]] = kv[2];
  }
  return out;
}

function routeTable(routes) {
  return Object.entries(routes).map(([key, handler]) => {
    const [method, template] = key.split(' ');
    const names = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const p = /^\{(.+)\}$/.exec(part);
        if (!p) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(p[1]);
        return '([^/]+)';
      })
      .join('');
    return { method, re: new RegExp(`^${source}$`), names, handler };
  });
}

/**
 * Starts the fake on 127.0.0.1 (a free port). Options: `routes`; `merchant`: { mchId, serial,
 * publicKey }; `platform`: { serial, privateKey } (made when absent: `fake.platform` has
 * publicKey too); `requireSerial`: true, false, or (method, path) → whether that request
 * must name the platform key (WeChat asks none of GET /v3/certificates); `signedBody`:
 * ({ method, url, headers, bytes }) → the bytes the Authorization covers, when they are not
 * the body (an upload signs its `meta` JSON, not the multipart body). Resolves with { url, requests, platform, decrypt,
 * sign, close }.
 */
export async function startFakeWeChat({ routes, merchant, platform = undefined, requireSerial = true, signedBody }) {
  const plat = platform ?? { serial: 'PUB_KEY_ID_0114232024112600000000000000', ...rsaPair() };
  plat.publicKey ??= pem(createPublicKey(createPrivateKey(plat.privateKey)), 'spki');
  const forger = rsaPair();
  const table = routeTable(routes);
  const requests = [];

  const sign = (key, ts, nonce, body) =>
    createSign('RSA-SHA256').update(`${ts}\n${nonce}\n`).update(body).update('\n').sign(key, 'base64');

  function reply(res, { status = 200, json, body, headers = {}, forge = false, unsigned = false, signer = plat }) {
    const text = body ?? (json === undefined ? '' : JSON.stringify(json));
    const out = { 'content-type': 'application/json', ...headers };
    if (!unsigned) {
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      out['wechatpay-timestamp'] = ts;
      out['wechatpay-nonce'] = nonce;
      out['wechatpay-serial'] = signer.serial;
      out['wechatpay-signature'] = sign(forge ? forger.privateKey : signer.privateKey, ts, nonce, text);
    }
    res.writeHead(status, out);
    res.end(text);
  }

  /** The Authorization's verdict: null when good, else why not. */
  function checkAuthorization(method, url, headers, body) {
    const a = parseAuthorization(headers.authorization);
    if (!a) return 'no WECHATPAY2-SHA256-RSA2048 Authorization';
    if (a.mchid !== merchant.mchId) return `mchid ${a.mchid} is not ${merchant.mchId}`;
    if (a.serial_no !== merchant.serial) return `serial_no ${a.serial_no} is not the merchant's`;
    if (Math.abs(Date.now() / 1000 - Number(a.timestamp)) > 300) return 'timestamp outside 5 minutes';
    const message = Buffer.concat([
      Buffer.from(`${method}\n${url}\n${a.timestamp}\n${a.nonce_str}\n`),
      body,
      Buffer.from('\n'),
    ]);
    const ok = createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, a.signature, 'base64');
    return ok ? null : 'the signature does not verify with the merchant public key';
  }

  function dispatch(req, res, bodyBytes) {
    const { method, url } = req;
    const covered = signedBody ? signedBody({ method, url, headers: req.headers, bytes: bodyBytes }) : bodyBytes;
    const refusal = checkAuthorization(method, url, req.headers, Buffer.from(covered));
    const serial = req.headers['wechatpay-serial'];
    const record = {
      method,
      url,
      headers: req.headers,
      body: bodyBytes.toString('utf8'),
      bytes: bodyBytes,
      verified: refusal === null,
      serial,
    };
    requests.push(record);
    if (refusal !== null) return reply(res, { status: 401, json: { code: 'SIGN_ERROR', message: refusal } });
    const path = url.split('?')[0];
    const serialRequired = typeof requireSerial === 'function' ? requireSerial(method, path) : requireSerial;
    if (serialRequired && serial !== plat.serial)
      return reply(res, {
        status: 400,
        json: { code: 'PARAM_ERROR', message: `Wechatpay-Serial ${serial} is not the platform key ${plat.serial}` },
      });
    const u = new URL(url, 'http://127.0.0.1');
    const route = table.find((r) => r.method === method && r.re.test(u.pathname));
    if (!route)
      return reply(res, { status: 404, json: { code: 'NOT_FOUND', message: `no route ${method} ${u.pathname}` } });
    const m = route.re.exec(u.pathname);
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    let json;
    const isJson = record.body !== '' && /json/i.test(req.headers['content-type'] ?? '');
    try {
      json = isJson ? JSON.parse(record.body) : undefined;
    } catch {
      return reply(res, { status: 400, json: { code: 'PARAM_ERROR', message: 'the body is not JSON' } });
    }
    Object.assign(record, { params, json, path: u.pathname, query: Object.fromEntries(u.searchParams) });
    const answer = route.handler(record);
    if (answer?.drop) return req.socket.destroy();
    return reply(res, answer ?? { status: 204 });
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      try {
        dispatch(req, res, Buffer.concat(chunks));
      } catch (e) {
        reply(res, { status: 500, json: { code: 'SYSTEM_ERROR', message: `the fake failed: ${e.message}` } });
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    platform: plat,
    /** An RSA-OAEP (SHA-1) field opened with the platform private key. */
    decrypt: (b64) =>
      privateDecrypt(
        { key: plat.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
        Buffer.from(b64, 'base64'),
      ).toString('utf8'),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}
