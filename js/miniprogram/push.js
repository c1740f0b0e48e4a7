// Message push (消息推送) for mini-programs, the raw functions: the server URL check, a push
// opened (safe mode: msg_signature, AES-256-CBC, appid; plaintext mode: signature), a reply
// sealed, and the request WeChat would send (for tests and the mock). The cryptography and
// every check on it are the Rust core's (src/miniprogram/push.rs); this module reads query
// strings and bodies (JSON, or XML through the core's hardened parser) and shapes results.
//
// Plaintext mode signs only the query (token, timestamp, nonce), never the body: anyone who
// has seen one push's URL can send any body with it. So a server that has an EncodingAESKey
// (every safe-mode or compatible-mode server) refuses plaintext pushes outright.
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { call } from './wasm.js';
import { options, text } from './options.js';

/** Body limit when none is given: pushes are a few KB. */
export const PUSH_MAX_BYTES = 64 * 1024;
const MAX_MAX_BYTES = 1024 * 1024;

/** A query as `get(name) → string | undefined`: URLSearchParams, a query string or URL, or a plain object. */
export function readQuery(fn, q) {
  if (typeof q === 'string') {
    const at = q.indexOf('?');
    q = new URLSearchParams(at >= 0 ? q.slice(at + 1) : q);
  }
  if (q instanceof URLSearchParams) {
    return (name) => {
      const all = q.getAll(name);
      if (all.length > 1)
        throw new WxPayError('INVALID_PARAM', `${fn}: query parameter \`${name}\` appears twice`, { field: name });
      return all[0];
    };
  }
  // A framework's parsed query (Express, Koa, Fastify: an object, sometimes without prototype).
  if (q === null || typeof q !== 'object' || Array.isArray(q))
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: query must be an object, URLSearchParams or a query string, got ${describe(q)}`,
      { field: 'query' },
    );
  return (name) => {
    const v = Object.hasOwn(q, name) ? q[name] : undefined;
    if (v !== undefined && typeof v !== 'string')
      throw new WxPayError(
        'INVALID_PARAM',
        `${fn}: query parameter \`${name}\` must be one string, got ${describe(v)}`,
        { field: name },
      );
    return v;
  };
}

function required(fn, get, name) {
  const v = get(name);
  if (v === undefined || v === '')
    throw new WxPayError('MISSING_FIELD', `${fn}: the query has no \`${name}\``, { field: name });
  return v;
}

/** The URL check (GET): `signature` over token, timestamp and nonce; returns `echostr` to answer with. */
export function verifyPushUrl(query, token) {
  const fn = 'verifyPushUrl';
  text(fn, { token }, 'token', { max: 256 });
  const get = readQuery(fn, query);
  const parts = [token, required(fn, get, 'timestamp'), required(fn, get, 'nonce')];
  call('mpVerifySignature', parts, get('signature') ?? '', 'signature');
  return required(fn, get, 'echostr');
}

function maxBytesOf(fn, v) {
  if (v === undefined) return PUSH_MAX_BYTES;
  if (!Number.isSafeInteger(v) || v < 1 || v > MAX_MAX_BYTES)
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: option \`maxBytes\` must be an integer from 1 to ${MAX_MAX_BYTES}, got ${describe(v)}`,
      { field: 'maxBytes' },
    );
  return v;
}

/** The push options every function shares, checked: token, and encodingAESKey with appid. */
export function pushKeys(fn, o, { safe = false } = {}) {
  const token = text(fn, o, 'token', { max: 256 });
  const encodingAESKey = text(fn, o, 'encodingAESKey', { optional: !safe, max: 43 });
  const appid = text(fn, o, 'appid', { optional: encodingAESKey === undefined, max: 256 });
  if (encodingAESKey !== undefined) call('mpCheckKey', encodingAESKey);
  return { token, encodingAESKey, appid };
}

/** A document's text as an object: JSON, or `<xml>` through the core's parser. */
function parseDocument(textValue, maxBytes, what) {
  const first = textValue.trimStart()[0];
  if (first === '<') return JSON.parse(call('mpXmlToJson', textValue, maxBytes));
  if (first === '{') {
    let v;
    try {
      v = JSON.parse(textValue);
    } catch {
      throw new WxPayError('INVALID_JSON', `${what} is not valid JSON`);
    }
    if (isPlainObject(v)) return v;
  }
  throw new WxPayError('INVALID_PARAM', `${what} is neither a JSON object nor an <xml> document`);
}

/** A push body as text: a string, bytes (UTF-8), refused above `maxBytes`. */
function bodyText(body, maxBytes) {
  if (typeof body === 'string') {
    if (body.length > maxBytes)
      throw new WxPayError('INPUT_TOO_LARGE', `the push body is larger than ${maxBytes} bytes`);
    return body;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes)
      throw new WxPayError('INPUT_TOO_LARGE', `the push body is larger than ${maxBytes} bytes`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new WxPayError('INVALID_PARAM', 'the push body is not UTF-8');
    }
  }
  throw new WxPayError(
    'INVALID_PARAM',
    `decryptPush: body must be the raw request body (a string or bytes), got ${describe(body)}`,
    { field: 'body' },
  );
}

/**
 * A push opened: `{ query, body }` as received (body raw: string or bytes). Safe mode
 * (`msg_signature`, or `Encrypt` in the body): signature, decryption and appid by the core,
 * the message returned as an object. Plaintext mode: `signature` checked, the body returned.
 */
export function decryptPush(request, opts) {
  const fn = 'decryptPush';
  if (!isPlainObject(request))
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: the first argument must be { query, body }, got ${describe(request)}`,
    );
  options(fn, opts);
  const keys = pushKeys(fn, opts);
  const maxBytes = maxBytesOf(fn, opts.maxBytes);
  return openPush(fn, keys, readQuery(fn, request.query), bodyText(request.body, maxBytes), maxBytes);
}

/** The checks and decryption of one push, shared by decryptPush and the handler. */
export function openPush(fn, keys, get, raw, maxBytes) {
  const outer = parseDocument(raw, maxBytes, 'the push body');
  const timestamp = required(fn, get, 'timestamp');
  const nonce = required(fn, get, 'nonce');
  const msgSignature = get('msg_signature');
  if (msgSignature === undefined && outer.Encrypt === undefined) {
    if (keys.encodingAESKey !== undefined)
      throw new WxPayError(
        'SIGN_MISSING',
        `${fn}: a plaintext push (no msg_signature), but this server is in safe mode: plaintext mode signs only the URL, not the body, so it is not accepted`,
        { field: 'msg_signature' },
      );
    call('mpVerifySignature', [keys.token, timestamp, nonce], get('signature') ?? '', 'signature');
    return outer;
  }
  if (keys.encodingAESKey === undefined)
    throw new WxPayError('INVALID_PARAM', `${fn}: the push is encrypted (safe mode): give encodingAESKey and appid`, {
      field: 'encodingAESKey',
    });
  if (typeof outer.Encrypt !== 'string' || outer.Encrypt === '')
    throw new WxPayError('MISSING_FIELD', `${fn}: the push body has no Encrypt`, { field: 'Encrypt' });
  const message = call(
    'mpOpen',
    keys.token,
    keys.encodingAESKey,
    keys.appid,
    timestamp,
    nonce,
    outer.Encrypt,
    msgSignature ?? '',
  );
  return parseDocument(message, MAX_MAX_BYTES, 'the decrypted message');
}

const XML_NAME = /^[A-Za-z0-9_]+$/;
const cdata = (s) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** An object as the `<xml>` of a push: strings in CDATA, numbers and booleans as text, objects nested, arrays repeated. */
export function toXml(o) {
  const item = (name, v) => {
    if (!XML_NAME.test(name))
      throw new WxPayError(
        'INVALID_PARAM',
        `an XML message's field names are letters, digits and _, got ${JSON.stringify(name)}`,
        { field: name },
      );
    if (Array.isArray(v)) return v.map((x) => item(name, x)).join('');
    if (typeof v === 'string') return `<${name}>${cdata(v)}</${name}>`;
    if (typeof v === 'number' || typeof v === 'boolean') return `<${name}>${v}</${name}>`;
    if (isPlainObject(v)) return `<${name}>${fields(v)}</${name}>`;
    throw new WxPayError('INVALID_PARAM', `field ${name} cannot go into XML: ${describe(v)}`, { field: name });
  };
  const fields = (obj) =>
    Object.entries(obj)
      .map(([k, v]) => item(k, v))
      .join('');
  return `<xml>${fields(o)}</xml>`;
}

/** The message as text in `format` ('json' or 'xml'; a string is taken as it is). */
function messageText(fn, message, format) {
  let t = message;
  if (typeof message !== 'string') {
    if (!isPlainObject(message))
      throw new WxPayError('INVALID_PARAM', `${fn}: message must be an object or a string, got ${describe(message)}`, {
        field: 'message',
      });
    t = format === 'xml' ? toXml(message) : JSON.stringify(message);
  }
  // Refused before it is copied into the wasm (the core checks the byte length again).
  if (t.length > MAX_MAX_BYTES)
    throw new WxPayError('INPUT_TOO_LARGE', `${fn}: the message is longer than ${MAX_MAX_BYTES} characters`, {
      field: 'message',
    });
  return t;
}

/** timestamp, nonce and format of encryptPush / pushRequest, defaults filled. */
function sealOptions(fn, o, message) {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  if (!(Number.isSafeInteger(ts) && ts >= 0) && !(typeof ts === 'string' && /^\d{1,15}$/.test(ts)))
    throw new WxPayError('INVALID_PARAM', `${fn}: option \`timestamp\` must be Unix seconds, got ${describe(ts)}`, {
      field: 'timestamp',
    });
  const nonce = o.nonce ?? call('mpNonce', 16);
  if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(nonce))
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: option \`nonce\` must be 1 to 64 letters, digits, _ or -, got ${describe(nonce)}`,
      { field: 'nonce' },
    );
  const isXml = typeof message === 'string' && message.trimStart().startsWith('<');
  const format = o.format ?? (isXml ? 'xml' : 'json');
  if (format !== 'json' && format !== 'xml')
    throw new WxPayError('INVALID_PARAM', `${fn}: option \`format\` must be 'json' or 'xml', got ${describe(format)}`, {
      field: 'format',
    });
  return { timestamp: String(ts), nonce, format };
}

/** The body of a safe-mode reply: Encrypt, MsgSignature, TimeStamp and Nonce, in the message's format. */
export function encryptPush(message, opts) {
  const fn = 'encryptPush';
  options(fn, opts);
  const keys = pushKeys(fn, opts, { safe: true });
  const { timestamp, nonce, format } = sealOptions(fn, opts, message);
  const [enc, sig] = call(
    'mpSeal',
    keys.token,
    keys.encodingAESKey,
    keys.appid,
    messageText(fn, message, format),
    timestamp,
    nonce,
  );
  if (format === 'xml')
    return `<xml><Encrypt>${cdata(enc)}</Encrypt><MsgSignature>${cdata(sig)}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`;
  return JSON.stringify({ Encrypt: enc, MsgSignature: sig, TimeStamp: Number(timestamp), Nonce: nonce });
}

/**
 * The request WeChat sends for `message`: `{ query, body }` (query: signature, timestamp,
 * nonce, and in safe mode encrypt_type=aes and msg_signature). Safe mode when
 * encodingAESKey is given, else plaintext. For tests and the mock; decryptPush opens it.
 */
export function pushRequest(message, opts) {
  const fn = 'pushRequest';
  options(fn, opts);
  const keys = pushKeys(fn, opts);
  const { timestamp, nonce, format } = sealOptions(fn, opts, message);
  const toUserName = text(fn, opts, 'toUserName', { optional: true, max: 256 });
  const plain = messageText(fn, message, format);
  const signature = call('mpSignature', [keys.token, timestamp, nonce]);
  if (keys.encodingAESKey === undefined) return { query: { signature, timestamp, nonce }, body: plain };
  const [enc, msgSignature] = call('mpSeal', keys.token, keys.encodingAESKey, keys.appid, plain, timestamp, nonce);
  const outer = toUserName === undefined ? { Encrypt: enc } : { ToUserName: toUserName, Encrypt: enc };
  const body = format === 'xml' ? toXml(outer) : JSON.stringify(outer);
  return { query: { signature, timestamp, nonce, encrypt_type: 'aes', msg_signature: msgSignature }, body };
}
