// The public JavaScript API over the raw wasm exports. This file is the body shared by
// the CommonJS, ESM and browser entries: scripts/build-pkg.mjs wraps it for each.
// Its job is the boundary's other half: check argument types, hand objects to wasm as
// one JSON string, and turn the errors wasm throws into WxPayError instances.

/** Error codes, in the order README lists them. */
const ERROR_CODES = Object.freeze([
  'INVALID_PARAM', 'MISSING_FIELD', 'INVALID_FIELD', 'INVALID_XML', 'XML_FORBIDDEN',
  'INPUT_TOO_LARGE', 'DUPLICATE_FIELD', 'SIGN_MISSING', 'SIGN_MISMATCH',
  'UNSUPPORTED_SIGN_TYPE', 'RETURN_FAIL', 'RESULT_FAIL', 'APPID_MISMATCH',
  'MCH_ID_MISMATCH', 'OUT_TRADE_NO_MISMATCH', 'AMOUNT_MISMATCH', 'DECRYPT_FAILED',
]);

/** What diagnoseSign can blame, in the order it tries them (see docs). */
const DIAGNOSIS_CAUSES = Object.freeze([
  'OTHER_SIGN_TYPE', 'SIGN_TYPE_EXCLUDED', 'SIGN_TYPE_ADDED', 'EMPTY_VALUES_INCLUDED',
  'VALUES_TRIMMED', 'VALUES_URL_ENCODED', 'LOWERCASE_HEX', 'KEY_SUFFIX_MISSING',
  'KEY_WHITESPACE', 'FIELD_ONE_SIDE', 'JSON_RESERIALIZED',
]);

/** Facts wasm attaches to an error beside its code and message. */
const ERROR_DETAILS = ['field', 'returnCode', 'returnMsg', 'errCode', 'errCodeDes', 'retryable'];

class WxPayError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'WxPayError';
    this.code = code;
    if (details) {
      for (const k of ERROR_DETAILS) if (details[k] !== undefined) this[k] = details[k];
    }
  }
}

// ERR_CATALOGUE is js/errcodes.json, which scripts/build-pkg.mjs declares above this file.
// It is written from src/errcodes.rs (a cargo test keeps the two equal); the wasm keeps
// only each code's `retryable`, so the prose is not shipped twice.
const errCodeInfo = (code) => ERR_CATALOGUE.find((e) => e.code === code);
const copyInfo = (e) => ({ ...e, apis: [...e.apis] });

function rethrow(e) {
  if (e && e.name === 'WxPayError' && !(e instanceof WxPayError)) {
    const info = e.code === 'RESULT_FAIL' && errCodeInfo(e.errCode);
    throw new WxPayError(e.code, info ? `${e.message} (${info.en}. ${info.action})` : e.message, e);
  }
  throw e;
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? `the unsafe integer ${v}` : `the number ${v}`;
  return `a ${typeof v}`;
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// Values JSON would change silently (NaN -> null, Date -> string, functions dropped)
// are refused here, so wasm sees exactly what the caller wrote.
function toJson(obj, what, code) {
  if (!isPlainObject(obj)) {
    throw new WxPayError('INVALID_PARAM', `${what} must be a plain object, got ${describe(obj)}`);
  }
  // JSON.stringify drops symbol keys silently; a field the caller wrote must not vanish
  // from what is signed.
  const symbol = Object.getOwnPropertySymbols(obj)[0];
  if (symbol !== undefined) {
    throw new WxPayError(code, `${what}: field names must be strings, got ${String(symbol)}`);
  }
  let bigint = false;
  for (const k in obj) {
    const v = obj[k];
    const t = typeof v;
    if (t === 'string' || v === undefined || v === null) continue;
    if (t === 'number' && Number.isSafeInteger(v)) continue;
    if (t === 'bigint') { bigint = true; continue; }
    const message = t === 'boolean' || t === 'object'
      ? `${what}: field \`${k}\` is ${describe(v)}; values must be strings or integers (JSON.stringify objects such as \`detail\` or \`scene_info\` first)`
      : `${what}: field \`${k}\` is ${describe(v)}; values must be strings or integers`;
    throw new WxPayError(code, message, { field: k });
  }
  return bigint ? JSON.stringify(obj, (_, v) => (typeof v === 'bigint' ? String(v) : v)) : JSON.stringify(obj);
}

const params = (p, what = 'params') => toJson(p, what, 'INVALID_FIELD');
const options = (o, what = 'options') => toJson(o, what, 'INVALID_PARAM');

function str(v, name) {
  if (typeof v !== 'string') {
    throw new WxPayError('INVALID_PARAM', `${name} must be a string, got ${describe(v)}`);
  }
  // Strings enter wasm as UTF-8; a lone surrogate would become U+FFFD and sign a
  // different key than the caller holds.
  if (!v.isWellFormed()) {
    throw new WxPayError('INVALID_PARAM', `${name} contains a lone UTF-16 surrogate`);
  }
  return v;
}

/** Endpoint paths under https://api.mch.weixin.qq.com, by API name (src/api.rs ENDPOINTS). */
const API_PATHS = Object.freeze({
  unifiedOrder: '/pay/unifiedorder',
  orderQuery: '/pay/orderquery',
  closeOrder: '/pay/closeorder',
  refund: '/secapi/pay/refund',
  refundQuery: '/pay/refundquery',
  downloadBill: '/pay/downloadbill',
  sandboxSignKey: '/sandboxnew/pay/getsignkey',
});

/** APIs whose HTTPS request must present the merchant's client certificate. */
const CLIENT_CERT_APIS = Object.freeze(['refund']);
/** The largest body any `maxBytes` allows (xml::MAX_MAX_BYTES in the Rust core). */
const MAX_INPUT_BYTES = 1024 * 1024;

// A body longer than the ceiling in UTF-16 units is longer still in UTF-8 bytes, so it is
// refused here, before wasm-bindgen copies it into linear memory: that memory never
// shrinks, and one 100 MiB post would otherwise cost the instance 100 MiB for good.
// The exact limit (`maxBytes`, in UTF-8 bytes) is still checked in Rust.
function body(v, name) {
  if (typeof v === 'string' && v.length > MAX_INPUT_BYTES) {
    throw new WxPayError('INPUT_TOO_LARGE', `${name} is at least ${v.length} bytes; no limit allows more than ${MAX_INPUT_BYTES} bytes (it was not parsed)`);
  }
  return str(v, name);
}

// Speed trick (see "string passing" in src/wasm.rs): string arguments are written into
// one wasm buffer with TextEncoder.encodeInto and results are decoded where wasm left
// them, instead of wasm-bindgen's per-string copies.
function wasmStrings(raw) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // Node's Buffer decodes UTF-8 several times faster than its TextDecoder.
  const NodeBuffer = typeof Buffer === 'function' && typeof Buffer.prototype.utf8Slice === 'function' ? Buffer : null;
  let memory = null;
  let bytes = null; // Uint8Array over wasm memory, for writing (subarrays of it are cheap)
  let nodeBytes = null; // Buffer over the same memory, for decoding in Node
  // Views of wasm memory, renewed when the memory grows (the old buffer then has length 0).
  const fresh = () => {
    if (bytes === null || bytes.byteLength === 0) {
      memory ??= raw.wasmMemory();
      bytes = new Uint8Array(memory.buffer);
      nodeBytes = NodeBuffer ? NodeBuffer.from(memory.buffer) : null;
    }
  };
  return {
    /** Writes the strings back to back into wasm's input buffer; returns their byte lengths. */
    put(strings) {
      let room = 0;
      for (let i = 0; i < strings.length; i++) room += strings[i].length * 3; // UTF-16 unit: ≤ 3 UTF-8 bytes
      let at = raw.inputBuffer(room);
      fresh();
      const lens = new Array(strings.length);
      for (let i = 0; i < strings.length; i++) {
        lens[i] = encoder.encodeInto(strings[i], bytes.subarray(at)).written;
        at += lens[i];
      }
      return lens;
    },
    /** The string result of the call that just returned `len`. */
    take(len) {
      const at = raw.outputPtr();
      fresh();
      return nodeBytes ? nodeBytes.utf8Slice(at, at + len) : decoder.decode(bytes.subarray(at, at + len));
    },
  };
}

function createApi(raw) {
  const call = (f) => { try { return f(); } catch (e) { return rethrow(e); } };
  const io = wasmStrings(raw);
  // Calls an export that takes string arguments and returns a string.
  const text = (fn, ...args) => io.take(raw[fn](...io.put(args)));
  // One reply parser serves the unified order and every other API.
  const parseResponse = (xml, opts) => call(() => JSON.parse(text('parseResponse', body(xml, 'xml'), options(opts))));

  return {
    WxPayError,
    ERROR_CODES,
    DIAGNOSIS_CAUSES,
    sign(p, key, signType = 'MD5') {
      return call(() => text('sign', params(p), str(key, 'key'), str(signType, 'signType')));
    },
    signingString(p) {
      return call(() => text('signingString', params(p)));
    },
    verify(p, key, signType) {
      return call(() => {
        const given = signType === undefined ? undefined : str(signType, 'signType');
        const [pLen, keyLen, typeLen] = io.put([params(p), str(key, 'key'), given ?? '']);
        return raw.verify(pLen, keyLen, given === undefined ? undefined : typeLen);
      });
    },
    nonceStr(length = 32) {
      if (typeof length !== 'number') throw new WxPayError('INVALID_PARAM', `length must be a number, got ${describe(length)}`);
      if (!Number.isInteger(length) || length < 1 || length > 32) {
        throw new WxPayError('INVALID_PARAM', `nonce length must be an integer from 1 to 32, got ${length}`);
      }
      return call(() => raw.nonceStr(length));
    },
    toXml(p) {
      return call(() => text('toXml', params(p)));
    },
    parseXml(xml, opts = {}) {
      return call(() => JSON.parse(text('parseXml', body(xml, 'xml'), options(opts))));
    },
    buildUnifiedOrderXml(order, opts) {
      return call(() => text('buildUnifiedOrderXml', params(order, 'order'), options(opts)));
    },
    parseUnifiedOrderResponse: parseResponse,
    requestPaymentParams(opts) {
      return call(() => JSON.parse(text('requestPaymentParams', options(opts))));
    },
    verifyNotify(xml, opts) {
      return call(() => JSON.parse(text('verifyNotify', body(xml, 'xml'), options(opts))));
    },
    notifyReply(ok = true, message) {
      if (typeof ok !== 'boolean') throw new WxPayError('INVALID_PARAM', `ok must be a boolean, got ${describe(ok)}`);
      return call(() => raw.notifyReply(ok, message === undefined ? undefined : str(message, 'message')));
    },
    diagnoseSign(p, key, expectedSign, signType) {
      return call(() => raw.diagnoseSign(params(p), str(key, 'key'), str(expectedSign, 'expectedSign'),
        signType === undefined ? undefined : str(signType, 'signType')));
    },
    buildNotifyXml(fields, opts) {
      return call(() => text('buildNotifyXml', params(fields, 'fields'), options(opts)));
    },
    API_PATHS,
    CLIENT_CERT_APIS,
    buildOrderQueryXml(query, opts) {
      return call(() => text('buildOrderQueryXml', params(query, 'query'), options(opts)));
    },
    buildCloseOrderXml(order, opts) {
      return call(() => text('buildCloseOrderXml', params(order, 'order'), options(opts)));
    },
    buildRefundXml(refund, opts) {
      return call(() => text('buildRefundXml', params(refund, 'refund'), options(opts)));
    },
    buildRefundQueryXml(query, opts) {
      return call(() => text('buildRefundQueryXml', params(query, 'query'), options(opts)));
    },
    buildDownloadBillXml(bill, opts) {
      return call(() => text('buildDownloadBillXml', params(bill, 'bill'), options(opts)));
    },
    buildSandboxSignKeyXml(fields) {
      return call(() => raw.buildSandboxSignKeyXml(params(fields, 'fields')));
    },
    parseSandboxSignKeyResponse(xml, opts) {
      return call(() => raw.parseSandboxSignKeyResponse(body(xml, 'xml'), options(opts)));
    },
    parseResponse,
    parseBill(text) {
      return call(() => JSON.parse(raw.parseBill(str(text, 'text'))));
    },
    groupIndexed(fields) {
      return call(() => JSON.parse(raw.groupIndexed(params(fields, 'fields'))));
    },
    decryptReqInfo(reqInfo, key) {
      return call(() => raw.decryptReqInfo(body(reqInfo, 'reqInfo'), str(key, 'key')));
    },
    decryptRefundNotify(xml, opts) {
      return call(() => JSON.parse(raw.decryptRefundNotify(body(xml, 'xml'), options(opts))));
    },
    describeErrCode(code) {
      return call(() => {
        const info = errCodeInfo(str(code, 'code'));
        return info && copyInfo(info);
      });
    },
    errorCatalogue() {
      return ERR_CATALOGUE.map(copyInfo);
    },
    /** Bytes of wasm linear memory; for leak tests, not part of the documented API. */
    __wasmMemoryBytes() {
      return raw.__wasmMemoryBytes();
    },
  };
}
