// How a client request reaches WeChat (issue 13): the host's `fetch` (or the caller's own,
// so Workers, Deno and tests work), with a per-call timeout that covers the whole answer;
// and, for the v2 APIs that need the merchant's TLS client certificate, node:https with an
// Agent holding it (Node's fetch cannot present one without the undici package). Failures
// become WxPayError NETWORK_ERROR / TIMEOUT / CLIENT_CERT_UNAVAILABLE whose messages name
// the method and URL only: never a header, a body or a key.
import { WxPayError, describe } from '../core/index.js';

/** The most bytes an answer may have (a bill can be large; anything else is small). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * node:https and node:tls when the host is Node (or emulates it), else null. Looked up at
 * the first client-certificate call, not at import: loading them costs a fresh Node process
 * ~20 ms, which every `require('wxpay-wasm')` would pay for a feature few calls use.
 */
let nodeTls;
function nodeTlsModules() {
  if (nodeTls !== undefined) return nodeTls;
  nodeTls = null;
  const p = globalThis.process;
  if (!p || typeof p.getBuiltinModule !== 'function') return nodeTls;
  try {
    const https = p.getBuiltinModule('node:https');
    const tls = p.getBuiltinModule('node:tls');
    nodeTls = https && tls ? { https, tls } : null;
  } catch {
    /* not Node: fetch only */
  }
  return nodeTls;
}

const netError = (what, cause) => new WxPayError('NETWORK_ERROR', `${what}: ${cause}`, { retryable: true });
const timeoutError = (what, ms) =>
  new WxPayError('TIMEOUT', `${what}: no complete answer within ${ms} ms (timeoutMs)`, { retryable: true });

/** A short reason for a failed fetch: the system error code, never the request itself. */
function reason(e) {
  const c = e && (e.cause?.code || e.code || e.cause?.name);
  return c ? `connection failed (${c})` : 'connection failed';
}

/** Reads a fetch Response's body, refusing more than `limit` bytes. */
async function readAnswer(res, limit) {
  const declared = Number(res.headers.get('content-length'));
  if (declared > limit)
    throw new WxPayError('INPUT_TOO_LARGE', `the answer declares ${declared} bytes; the limit is ${limit}`);
  if (!res.body || typeof res.body.getReader !== 'function') return new Uint8Array(await res.arrayBuffer());
  return readAll(res.body, limit);
}

/**
 * Reads `stream` to its end as one Uint8Array (answers here; v3 downloads and error bodies in
 * js/v3/client-files.js). Past `limit` bytes the stream is cancelled and INPUT_TOO_LARGE thrown.
 */
async function readAll(stream, limit = Number.POSITIVE_INFINITY) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new WxPayError('INPUT_TOO_LARGE', `the answer is larger than ${limit} bytes; it was not read`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Headers as a plain object with lower-case names. */
const headerObject = (h) => Object.fromEntries([...h].map(([k, v]) => [k.toLowerCase(), v]));

/**
 * The transport of one client. `tls`: the merchant's client certificate as node:https takes
 * it (`{ cert, key }` or `{ pfx, passphrase }`, plus `ca`), or null.
 */
function createTransport({ fetch, timeoutMs, tls }) {
  let agent = null;
  const nodeAgent = () => {
    if (agent === null) agent = new (nodeTlsModules().https.Agent)({ ...tls, keepAlive: true });
    return agent;
  };

  async function viaFetch(url, init, what) {
    // A timer of our own, not AbortSignal.timeout: that one is unref'd and would let a
    // process with nothing else to do exit in the middle of a call.
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    try {
      const res = await fetch(url, { ...init, signal: abort.signal, redirect: 'manual' });
      const body = await readAnswer(res, MAX_ANSWER_BYTES);
      return { status: res.status, headers: headerObject(res.headers), body };
    } catch (e) {
      if (timedOut) throw timeoutError(what, timeoutMs);
      if (e instanceof WxPayError) throw e;
      throw netError(what, reason(e));
    } finally {
      clearTimeout(timer);
    }
  }

  function viaNodeHttps(url, init, what) {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (f, v) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          f(v);
        }
      };
      const req = nodeTlsModules().https.request(
        url,
        { method: init.method, headers: init.headers, agent: nodeAgent() },
        (res) => {
          const chunks = [];
          let size = 0;
          res.on('data', (c) => {
            size += c.length;
            if (size > MAX_ANSWER_BYTES) {
              req.destroy();
              finish(reject, new WxPayError('INPUT_TOO_LARGE', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
            } else chunks.push(c);
          });
          res.on('end', () =>
            finish(resolve, {
              status: res.statusCode,
              headers: { ...res.headers },
              body: new Uint8Array(Buffer.concat(chunks)),
            }),
          );
          res.on('error', (e) => finish(reject, netError(what, reason(e))));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish(reject, timeoutError(what, timeoutMs));
      }, timeoutMs);
      req.on('error', (e) => finish(reject, netError(what, reason(e))));
      req.end(init.body === undefined ? undefined : init.body);
    });
  }

  /**
   * Sends one request; `clientCert`: the API needs the merchant certificate. Plain-http
   * base URLs (the local mock) carry no TLS, so nothing can be presented there: the
   * certificate is required to be configured, and the request goes by fetch.
   */
  async function send({ method, url, headers, body, clientCert = false }) {
    const what = `${method} ${url.split('?')[0]}`;
    const https = url.startsWith('https:');
    if (clientCert && !tls) {
      throw new WxPayError(
        'CLIENT_CERT_UNAVAILABLE',
        `${what} needs the merchant's API client certificate: give createClient { cert, certKey } (apiclient_cert.pem, apiclient_key.pem) or { pfx, passphrase } (apiclient_cert.p12)`,
      );
    }
    if (https && tls && (clientCert || tls.ca)) {
      if (!nodeTlsModules()) {
        throw new WxPayError(
          'CLIENT_CERT_UNAVAILABLE',
          `${what} needs a TLS client certificate, and this runtime's fetch cannot present one (no node:https): call it from Node, or from a server that holds apiclient_cert`,
        );
      }
      return viaNodeHttps(url, { method, headers, body }, what);
    }
    return viaFetch(url, { method, headers, body }, what);
  }

  return { send, close: () => agent?.destroy() };
}

/** Checks the TLS material now, so a bad PEM or passphrase fails at createClient, not at the first refund. */
function clientTls({ cert, certKey, pfx, passphrase, ca }) {
  const bytesOrText = (v, name) => {
    if (v === undefined) return undefined;
    if (typeof v === 'string' || v instanceof Uint8Array) return v;
    throw new WxPayError('INVALID_PARAM', `${name} must be PEM text or bytes, got ${describe(v)}`, { field: name });
  };
  const t = {
    cert: bytesOrText(cert, 'cert'),
    key: bytesOrText(certKey, 'certKey'),
    pfx: bytesOrText(pfx, 'pfx'),
    ca: bytesOrText(ca, 'ca'),
  };
  if (passphrase !== undefined && typeof passphrase !== 'string')
    throw new WxPayError('INVALID_PARAM', `passphrase must be a string, got ${describe(passphrase)}`, {
      field: 'passphrase',
    });
  if (t.pfx !== undefined && (t.cert !== undefined || t.key !== undefined))
    throw new WxPayError('INVALID_PARAM', 'give either { cert, certKey } or { pfx, passphrase }, not both', {
      field: 'pfx',
    });
  if ((t.cert === undefined) !== (t.key === undefined))
    throw new WxPayError('INVALID_PARAM', 'cert and certKey go together (apiclient_cert.pem and apiclient_key.pem)', {
      field: t.cert === undefined ? 'cert' : 'certKey',
    });
  if (t.cert === undefined && t.pfx === undefined) {
    if (t.ca !== undefined || passphrase !== undefined)
      throw new WxPayError(
        'INVALID_PARAM',
        'ca and passphrase apply to a client certificate: give cert + certKey or pfx',
        { field: t.ca !== undefined ? 'ca' : 'passphrase' },
      );
    return null;
  }
  const out = Object.fromEntries(Object.entries({ ...t, passphrase }).filter(([, v]) => v !== undefined));
  if (nodeTlsModules()) {
    try {
      nodeTlsModules().tls.createSecureContext(out);
    } catch (e) {
      // OpenSSL's reason ("bad decrypt", "no start line") names no key material.
      throw new WxPayError(
        'INVALID_PARAM',
        `the client certificate cannot be loaded (${e.reason || e.code || 'unreadable'}): check cert/certKey (PEM) or pfx/passphrase`,
        { field: t.pfx ? 'pfx' : 'cert' },
      );
    }
  }
  return out;
}

export { createTransport, clientTls, readAll, MAX_ANSWER_BYTES };
// For the streaming mode of v3 downloads (transport-stream.js), kept out of the v2 bundle.
export { netError, timeoutError, reason, headerObject };
