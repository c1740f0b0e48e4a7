// The public JavaScript API of `wxpay-wasm/v3` over the raw wasm exports (src/wasm/v3.rs).
// scripts/build-pkg.mjs bundles it into the CommonJS, ESM and browser entries of
// `wxpay-wasm/v3`, each importing the shared core (js/core: WxPayError, strict options)
// from pkg/core/, so an error from either entry is `instanceof` the same class.
//
// The split, and why: every RSA operation (SHA256withRSA signing and verification,
// RSA-OAEP) runs in the host's WebCrypto (`globalThis.crypto.subtle`), which is native
// and constant-time — RustCrypto's `rsa` compiled to wasm signs ~25x slower and would add
// ~109 KB gzipped. So does the AES-256-GCM block work: in wasm (no AES instructions) it was
// 15–18 % of a 1 KB callback, against ~4.4 µs for node:crypto's whole decipher, and 4.0 KB
// gzipped of the v3 wasm (docs/development/performance.md, 2026-12-04). Everything else is the Rust core's:
// the signed messages, the Authorization header, reading the Wechatpay-* headers, the skew
// window, the probe check, key selection by serial, PEM/DER/X.509 (PKCS#1 → PKCS#8, SPKI out
// of a certificate), the encrypted resource's fields (algorithm, nonce, Base64, tag length),
// JSON validation and the expectations. This file only moves bytes between the two, checks
// argument types and options, and caches imported keys.

import { CONTRACT, LIMITS, WxPayError, rethrow, describe, isPlainObject, strictOptions } from '../core/index.js';
import { createV3Client } from './client.js';

/** Refuses option names the contract (src/contract/v3.rs FUNCTIONS) does not list. */
const check = strictOptions(CONTRACT.functions.v3);

/**
 * Bodies larger than this are refused before they are copied into wasm memory (which never
 * shrinks); the core's own, lower limits (64 KiB for a callback) are checked again in Rust.
 */
const V3_MAX_BODY = LIMITS.maxBytesCeiling;
const RSA_SIGN = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const RSA_OAEP = { name: 'RSA-OAEP', hash: 'SHA-1' };
/** Imported keys kept per PEM text; the oldest is dropped past this many. */
const KEY_CACHE_SIZE = 64;

/**
 * Speed trick (issue 15), the only one in this file: on Node, RSA signing and verification
 * run in node:crypto's synchronous one-shot `sign`/`verify` over KeyObjects made from the
 * same DER the core hands WebCrypto. `crypto.subtle.verify` of a 1 KB callback costs
 * ~66–70 µs on Node 20 (a promise and a hop to the thread pool around ~20 µs of RSA);
 * `crypto.verify` costs the RSA alone. AES-256-GCM decryption likewise uses node:crypto's
 * synchronous `createDecipheriv` (`aesGcmOpen`). Deno, Bun, Workers and browsers keep
 * WebCrypto (Deno and Bun emulate node:crypto; WebCrypto is their native path). Same bytes
 * in, same result out: tests/js/v3-crypto-paths.test.mjs runs the v3 suites both ways.
 * RSA-OAEP (cold) stays WebCrypto everywhere.
 */
const NODE_CRYPTO = (() => {
  const p = globalThis.process;
  if (!p || typeof p.getBuiltinModule !== 'function' || p.release?.name !== 'node' || p.versions?.bun || globalThis.Deno) return null;
  try { return p.getBuiltinModule('node:crypto') ?? null; } catch { return null; }
})();

function createApi(raw) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  const encoder = new TextEncoder();
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const fail = (code, message, field) => new WxPayError(code, message, field === undefined ? undefined : { field });
  const call = (f) => { try { return f(); } catch (e) { return rethrow(e); } };
  /** An options object: plain, and only the names the contract lists for `fn`. */
  const checkOptions = (fn, o) => {
    if (!isPlainObject(o)) throw fail('INVALID_PARAM', `${fn}: options must be a plain object, got ${describe(o)}`);
    return check(fn, o);
  };
  const needSubtle = () => {
    if (!subtle) throw fail('INVALID_PARAM', 'wxpay-wasm/v3 needs WebCrypto (globalThis.crypto.subtle): Node >= 20, Deno, Bun, Workers or a browser in a secure context');
    return subtle;
  };

  // ------------------------------------------------------------ argument checks

  function str(v, name) {
    if (typeof v !== 'string') throw fail('INVALID_PARAM', `${name} must be a string, got ${describe(v)}`, name);
    // A lone surrogate would reach wasm as U+FFFD and sign something the caller did not write.
    if (!v.isWellFormed()) throw fail('INVALID_PARAM', `${name} contains a lone UTF-16 surrogate`, name);
    return v;
  }
  const required = (o, name) => {
    // Options, like v2's, are INVALID_PARAM when absent (MISSING_FIELD is for WeChat's fields).
    if (o[name] === undefined || o[name] === '') throw fail('INVALID_PARAM', `option \`${name}\` is required`, name);
    return str(o[name], name);
  };
  const optional = (o, name) => (o[name] === undefined ? undefined : str(o[name], name));
  /** Unix seconds as the decimal string WeChat writes; numbers accepted when they are integers. */
  function seconds(v, name) {
    if (v === undefined) return undefined;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || v < 0) throw fail('INVALID_PARAM', `${name} must be a non-negative integer number of seconds, got ${v}`, name);
      return String(v);
    }
    return str(v, name);
  }
  /** `now` as Unix seconds; a Date is converted, milliseconds are refused rather than guessed. */
  function nowSeconds(v) {
    if (v === undefined) return undefined;
    if (v instanceof Date) {
      const t = v.getTime();
      if (Number.isNaN(t)) throw fail('INVALID_PARAM', 'now is an invalid Date', 'now');
      return Math.floor(t / 1000);
    }
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw fail('INVALID_PARAM', `now must be Unix seconds (an integer) or a Date, got ${describe(v)}`, 'now');
    }
    if (v > 1e11) throw fail('INVALID_PARAM', `now must be Unix seconds, not milliseconds (got ${v}; use Math.floor(Date.now() / 1000))`, 'now');
    return v;
  }
  function skew(v) {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw fail('INVALID_PARAM', `maxSkewSeconds must be a non-negative integer, got ${describe(v)}`, 'maxSkewSeconds');
    }
    return v;
  }

  /** A body as the exact bytes received: string (UTF-8), Buffer, Uint8Array or ArrayBuffer. */
  function bodyBytes(v, name = 'body') {
    if (typeof v === 'string') {
      // UTF-8 is never shorter than UTF-16 units, so this refuses before encoding.
      if (v.length > V3_MAX_BODY) throw tooLarge(name, v.length);
      const bytes = encoder.encode(str(v, name));
      if (bytes.length > V3_MAX_BODY) throw tooLarge(name, bytes.length);
      return bytes;
    }
    let bytes;
    if (v instanceof Uint8Array) bytes = v;
    else if (v instanceof ArrayBuffer) bytes = new Uint8Array(v);
    else throw fail('INVALID_PARAM', `${name} must be a string, Buffer, Uint8Array or ArrayBuffer (the raw body as received), got ${describe(v)}`, name);
    if (bytes.byteLength > V3_MAX_BODY) throw tooLarge(name, bytes.byteLength);
    return bytes;
  }
  const tooLarge = (name, n) => fail('INPUT_TOO_LARGE', `${name} is at least ${n} bytes; the limit is ${V3_MAX_BODY} bytes (it was not parsed)`, name);

  /**
   * The Wechatpay-* headers as `[name, value, name, value, …]`, names as given (the core
   * matches them without regard to case and refuses one header given twice with different
   * values). A `Headers` (fetch) or a plain object such as Node's `req.headers`.
   */
  function headerPairs(h) {
    const pairs = [];
    const add = (name, value) => {
      if (!/^wechatpay-/i.test(name)) return;
      if (Array.isArray(value)) throw fail('INVALID_PARAM', `header ${name} was sent more than once`, name);
      if (typeof value !== 'string') throw fail('INVALID_PARAM', `header ${name} must be a string, got ${describe(value)}`, name);
      pairs.push(name, str(value, name));
    };
    if (typeof Headers === 'function' && h instanceof Headers) {
      for (const [name, value] of h) add(name, value);
    } else if (h !== null && typeof h === 'object' && !Array.isArray(h)) {
      for (const name of Object.keys(h)) add(name, h[name]);
    } else {
      throw fail('INVALID_PARAM', `headers must be a Headers or a plain object, got ${describe(h)}`, 'headers');
    }
    return pairs;
  }

  /** publicKeys: serial or PUB_KEY_ID_… → PEM; a plain object or a Map. */
  function keyMap(v) {
    const entries = v instanceof Map ? [...v] : v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : null;
    if (entries === null) throw fail('INVALID_PARAM', `publicKeys must map serials to PEM text, got ${describe(v)}`, 'publicKeys');
    if (entries.length === 0) throw fail('INVALID_PARAM', 'publicKeys is empty: give the platform public key (PUB_KEY_ID_…) or certificates by serial', 'publicKeys');
    const map = new Map();
    for (const [serial, pem] of entries) {
      if (typeof serial !== 'string' || serial === '') throw fail('INVALID_PARAM', 'publicKeys: every serial must be a non-empty string', 'publicKeys');
      if (typeof pem !== 'string') throw fail('INVALID_PARAM', `publicKeys[${JSON.stringify(serial)}] must be PEM text, got ${describe(pem)}`, 'publicKeys');
      map.set(serial, pem);
    }
    return map;
  }

  // ------------------------------------------------------------ WebCrypto and key caches

  /** A small insertion-ordered cache of promises; a rejected promise is not kept. */
  function cache() {
    const m = new Map();
    return (k, make) => {
      let p = m.get(k);
      if (p === undefined) {
        if (m.size >= KEY_CACHE_SIZE) m.delete(m.keys().next().value);
        p = make();
        m.set(k, p);
        p.catch(() => m.delete(k));
      }
      return p;
    };
  }
  const verifyKeys = cache();
  const oaepPublicKeys = cache();
  const pemPrivateKeys = cache();
  const aesKeys = cache();

  async function importKey(format, der, alg, usage, what) {
    if (NODE_CRYPTO && alg === RSA_SIGN) return nodeKey(format, der, what);
    try {
      return await needSubtle().importKey(format, der, alg, false, [usage]);
    } catch (e) {
      if (e instanceof WxPayError) throw e;
      // WebCrypto's message names no key material; ours names none either.
      throw fail('INVALID_PARAM', `${what} is not an RSA key WebCrypto accepts`);
    }
  }
  /** The KeyObject node:crypto signs or verifies with; refused unless RSA, as WebCrypto's RSASSA import refuses. */
  function nodeKey(format, der, what) {
    let key;
    try {
      const spec = { key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: format };
      key = format === 'pkcs8' ? NODE_CRYPTO.createPrivateKey(spec) : NODE_CRYPTO.createPublicKey(spec);
    } catch {
      key = null;
    }
    if (key === null || key.asymmetricKeyType !== 'rsa') throw fail('INVALID_PARAM', `${what} is not an RSA key WebCrypto accepts`);
    return key;
  }
  /** SHA256withRSA (PKCS#1 v1.5) with a key from importKey, in node:crypto or WebCrypto. */
  async function rsaSign(key, data) {
    if (NODE_CRYPTO) return NODE_CRYPTO.sign('sha256', data, key);
    return new Uint8Array(await needSubtle().sign(RSA_SIGN, key, data));
  }
  async function rsaVerify(key, signature, data) {
    if (NODE_CRYPTO) return NODE_CRYPTO.verify('sha256', data, key, signature);
    return needSubtle().verify(RSA_SIGN, key, signature, data);
  }

  /**
   * AEAD_AES_256_GCM with the APIv3 key over what the core checked and decoded
   * (`[ciphertext with tag, nonce, associated data]`, src/wasm/v3.rs `sealed_js`). Returns
   * the plaintext, or undefined when the tag does not verify: the core turns that into its
   * DECRYPT_FAILED, so the message is written once. On Node, node:crypto's synchronous
   * decipher (the speed trick above: WebCrypto's promise and thread-pool hop cost more than
   * the AES); elsewhere WebCrypto, with the imported key kept per APIv3 key.
   */
  async function aesGcmOpen(apiV3Key, [ciphertext, iv, aad]) {
    const tag = ciphertext.length - 16;
    if (NODE_CRYPTO) {
      try {
        const d = NODE_CRYPTO.createDecipheriv('aes-256-gcm', encoder.encode(apiV3Key), iv, { authTagLength: 16 });
        d.setAAD(aad);
        d.setAuthTag(ciphertext.subarray(tag));
        const head = d.update(ciphertext.subarray(0, tag));
        const rest = d.final();
        return rest.length === 0 ? head : Buffer.concat([head, rest]);
      } catch {
        return undefined;
      }
    }
    const key = await aesKeys(apiV3Key, () => needSubtle().importKey('raw', encoder.encode(apiV3Key), 'AES-GCM', false, ['decrypt']));
    try {
      return new Uint8Array(await needSubtle().decrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, ciphertext));
    } catch {
      return undefined;
    }
  }

  /** SPKI DER from the core (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE PEM), imported once per PEM text. */
  const publicKey = (pem, alg, usage, store, what) => store(pem, () => {
    const der = call(() => raw.v3PublicKeyDer(pem));
    return importKey('spki', der, alg, usage, what);
  });

  /** The opaque object importPrivateKey returns; its key material lives in `privates`. */
  const privates = new WeakMap();
  class PrivateKey {
    constructor() { throw new TypeError('use importPrivateKey(pem)'); }
    toString() { return '[wxpay-wasm PrivateKey]'; }
    toJSON() { return '[wxpay-wasm PrivateKey]'; }
  }
  async function importPrivate(pem) {
    const der = call(() => raw.v3PrivateKeyDer(str(pem, 'privateKey')));
    const signKey = await importKey('pkcs8', der, RSA_SIGN, 'sign', 'privateKey');
    const key = Object.create(PrivateKey.prototype);
    privates.set(key, { signKey, der, oaep: null });
    return Object.freeze(key);
  }
  /** A PEM string (imported once per text) or an importPrivateKey() object. */
  async function privateState(v) {
    if (typeof v === 'string') v = await pemPrivateKeys(v, () => importPrivate(v));
    const state = v !== null && typeof v === 'object' ? privates.get(v) : undefined;
    if (state === undefined) throw fail('INVALID_PARAM', `privateKey must be PEM text or a key from importPrivateKey(), got ${describe(v)}`, 'privateKey');
    return state;
  }
  async function signBytes(privateKey, message) {
    const { signKey } = await privateState(privateKey);
    return rsaSign(signKey, encoder.encode(message));
  }
  const base64 = (bytes) => {
    if (NODE_CRYPTO) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  };

  // ------------------------------------------------------------ the API

  async function verifySignature(body, headers, opts) {
    const o = checkOptions('verifySignature', opts);
    return verified(bodyBytes(body), headers, o);
  }
  /** Shared by verifySignature and verifyNotify: prepare in Rust, verify in WebCrypto. */
  async function verified(bytes, headers, o) {
    if (o.publicKeys === undefined) throw fail('INVALID_PARAM', 'option `publicKeys` (serial or PUB_KEY_ID_… → PEM) is required', 'publicKeys');
    const keys = keyMap(o.publicKeys);
    const now = nowSeconds(o.now);
    const max = skew(o.maxSkewSeconds);
    const pairs = headerPairs(headers);
    const [serial, timestamp, message, signature] = call(() => raw.v3VerifyPrepare(pairs, bytes, [...keys.keys()], now, max));
    const key = await publicKey(keys.get(serial), RSA_SIGN, 'verify', verifyKeys, `publicKeys[${JSON.stringify(serial)}]`);
    const ok = await rsaVerify(key, signature, message);
    if (!ok) throw fail('SIGN_MISMATCH', `Wechatpay-Signature does not verify with the key for serial ${serial}: the body was changed, or another key signed it`);
    return { serial, timestamp };
  }

  const api = {
    WxPayError,

    async importPrivateKey(pem) {
      return importPrivate(pem);
    },

    async authorization(opts) {
      const o = checkOptions('authorization', opts);
      const args = [required(o, 'mchId'), required(o, 'serialNo'), required(o, 'method'), required(o, 'url'),
        o.body === undefined ? '' : str(o.body, 'body'), seconds(o.timestamp, 'timestamp'), optional(o, 'nonce')];
      if (o.privateKey === undefined) throw fail('INVALID_PARAM', 'option `privateKey` (apiclient_key.pem, or a key from importPrivateKey) is required', 'privateKey');
      const [message, timestamp, nonce] = call(() => raw.v3AuthPrepare(args[2], args[3], args[4], args[5], args[6]));
      const signature = base64(await signBytes(o.privateKey, message));
      return call(() => raw.v3AuthHeader(args[0], args[1], timestamp, nonce, signature));
    },

    verifySignature,

    async verifyNotify(body, headers, opts) {
      const o = checkOptions('verifyNotify', opts);
      const bytes = bodyBytes(body);
      const apiV3Key = required(o, 'apiV3Key');
      const expect = [optional(o, 'appid'), optional(o, 'mchId'), optional(o, 'outTradeNo'), total(o.total)];
      await verified(bytes, headers, o);
      const [ciphertext, iv, aad, eventType] = call(() => raw.v3NotifyOpen(bytes, apiV3Key));
      const plain = await aesGcmOpen(apiV3Key, [ciphertext, iv, aad]);
      const paid = call(() => raw.v3NotifyFinish(eventType, plain, ...expect));
      // The core has checked both texts (UTF-8, JSON, no member twice, the expectations),
      // so V8's JSON.parse builds the result: what the core's Notification::to_json writes.
      const out = JSON.parse(utf8.decode(bytes));
      out.resource = JSON.parse(utf8.decode(plain));
      delete out.paid;
      out.paid = paid;
      return out;
    },

    async decryptResource(resource, apiV3Key) {
      if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
        throw fail('INVALID_PARAM', `resource must be the callback's resource object, got ${describe(resource)}`, 'resource');
      }
      const json = JSON.stringify(resource);
      const key = str(apiV3Key, 'apiV3Key');
      const plain = await aesGcmOpen(key, call(() => raw.v3SealedResource(json, key)));
      return call(() => raw.v3ResourceText(plain));
    },

    async parseCertificates(body, apiV3Key) {
      const bytes = bodyBytes(body);
      const key = str(apiV3Key, 'apiV3Key');
      const sealed = call(() => raw.v3CertificatesOpen(bytes, key));
      const plains = [];
      for (let i = 0; i < sealed.length; i += 3) plains.push((await aesGcmOpen(key, sealed.slice(i, i + 3))) ?? null);
      return JSON.parse(call(() => raw.v3CertificatesFinish(bytes, key, plains)));
    },

    async requestPaymentParams(opts) {
      const o = checkOptions('requestPaymentParams', opts);
      const args = [required(o, 'appId'), required(o, 'prepayId'), seconds(o.timeStamp, 'timeStamp'), optional(o, 'nonceStr')];
      if (o.privateKey === undefined) throw fail('INVALID_PARAM', 'option `privateKey` (apiclient_key.pem, or a key from importPrivateKey) is required', 'privateKey');
      const [message, timeStamp, nonceStr, pkg] = call(() => raw.v3PayPrepare(...args));
      const paySign = base64(await signBytes(o.privateKey, message));
      return { appId: args[0], timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
    },

    async encryptSensitive(plaintext, pem) {
      const data = encoder.encode(str(plaintext, 'plaintext'));
      const key = await publicKey(str(pem, 'publicKey'), RSA_OAEP, 'encrypt', oaepPublicKeys, 'publicKey');
      // RSAES-OAEP with SHA-1 carries at most k - 2*20 - 2 bytes.
      const room = key.algorithm.modulusLength / 8 - 42;
      if (data.length > room) throw fail('INVALID_PARAM', `plaintext is ${data.length} UTF-8 bytes; RSA-OAEP with this ${key.algorithm.modulusLength}-bit key carries at most ${room}`, 'plaintext');
      return base64(new Uint8Array(await needSubtle().encrypt(RSA_OAEP, key, data)));
    },

    async decryptSensitive(ciphertext, privateKey) {
      let bytes;
      try {
        bytes = Uint8Array.from(atob(str(ciphertext, 'ciphertext')), (c) => c.charCodeAt(0));
      } catch (e) {
        if (e instanceof WxPayError) throw e;
        throw fail('DECRYPT_FAILED', 'ciphertext is not Base64', 'ciphertext');
      }
      const state = await privateState(privateKey);
      state.oaep ??= importKey('pkcs8', state.der, RSA_OAEP, 'decrypt', 'privateKey');
      const key = await state.oaep;
      let plain;
      try {
        plain = await needSubtle().decrypt(RSA_OAEP, key, bytes);
      } catch {
        throw fail('DECRYPT_FAILED', 'ciphertext does not decrypt with this private key (RSA-OAEP, SHA-1)', 'ciphertext');
      }
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(plain);
      } catch {
        throw fail('DECRYPT_FAILED', 'the decrypted field is not UTF-8 text', 'ciphertext');
      }
    },

    async buildJsapiOrder(order, options) { return build('jsapi', order, loopbackHttp('buildJsapiOrder', options)); },
    async buildQueryByOutTradeNo(query) { return build('queryByOutTradeNo', query); },
    async buildQueryById(query) { return build('queryById', query); },
    async buildCloseOrder(order) { return build('close', order); },
    async buildRefund(refund, options) { return build('refund', refund, loopbackHttp('buildRefund', options)); },
    async buildRefundQuery(query) { return build('refundQuery', query); },

    /**
     * The WxPayError a non-2xx answer means (returned, not thrown): RESULT_FAIL with
     * `errCode`, `errMessage`, `httpStatus`, `retryable` for WeChat's `{ code, message,
     * detail }`, RETURN_FAIL for anything else (a proxy's HTML page, an empty 502).
     */
    async parseErrorResponse(status, body) {
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        throw fail('INVALID_PARAM', `status must be an HTTP status code, got ${describe(status)}`, 'status');
      }
      const e = raw.v3ParseErrorResponse(status, bodyBytes(body));
      try { return rethrow(e); } catch (err) { return err; }
    },

    async notifyReply(ok = true, message) {
      if (typeof ok !== 'boolean') throw fail('INVALID_PARAM', `ok must be a boolean, got ${describe(ok)}`, 'ok');
      const [status, body] = call(() => raw.v3NotifyReply(ok, message === undefined ? undefined : str(message, 'message')));
      return { status: Number(status), headers: body === '' ? {} : { 'Content-Type': 'application/json' }, body };
    },
  };
  /** The client over this API (js/v3/client.js): sign, send, verify, retry where safe. */
  api.createClient = (opts) => createV3Client(api, opts);
  return api;

  function total(v) {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw fail('INVALID_PARAM', `total must be the amount in fen as a non-negative integer, got ${describe(v)}`, 'total');
    }
    return v;
  }

  /**
   * A builder's `allowLoopbackHttp` (src/v3/builders.rs Options): accept an `http://`
   * notify_url on 127.x.y.z, localhost or [::1], for the mock on a laptop.
   */
  function loopbackHttp(fn, options) {
    if (options === undefined) return false;
    const { allowLoopbackHttp = false } = checkOptions(fn, options);
    if (typeof allowLoopbackHttp !== 'boolean') throw fail('INVALID_PARAM', `${fn}: option \`allowLoopbackHttp\` must be true or false, got ${describe(allowLoopbackHttp)}`, 'allowLoopbackHttp');
    return allowLoopbackHttp;
  }

  /** A request builder: the params object as JSON, the core validates and builds. */
  function build(kind, params, allowLoopbackHttp = false) {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw fail('INVALID_PARAM', `the request fields must be a plain object, got ${describe(params)}`);
    }
    let json;
    try {
      json = JSON.stringify(params);
    } catch {
      throw fail('INVALID_PARAM', 'the request fields cannot be written as JSON (a cycle or a BigInt)');
    }
    return call(() => JSON.parse(raw.v3BuildRequest(kind, json, allowLoopbackHttp)));
  }
}
