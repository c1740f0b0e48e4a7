// The v3 client's files: downloads (a bill, a complaint's image) and media uploads. `c` is
// the client's context (see client.js).
//
// Downloads: the URL WeChat gives must be on the client's own origin (baseUrl): the
// Authorization is never sent to another host. It is signed over its path and query exactly
// as given. WeChat does not sign the answer (申请交易账单's download step: "该接口响应的信息
// 请求头中不包含微信接口响应的签名值，因此需要跳过验签的流程"); a bill is believed because
// its SHA1 (or SM3) equals the hash_value of the SIGNED answer that gave its URL
// (download.js). Uploads: multipart (multipart.js), the Authorization over the meta JSON.
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { withRetries } from '../client/retry.js';
import { answerV3 } from './client-request.js';
import { platformKey, verifyWith } from './client-keys.js';
import { readAll } from '../client/transport.js';
import { expectedHash, lazyStream, meteredStream, verifiedStream } from './download.js';
import { checkUpload, hasControlOrQuote, multipartBody } from './multipart.js';
import { hex } from './hash.js';

const MiB = 1024 * 1024;
/** Default `maxBytes` of a download: a large merchant's daily bill fits; a runaway answer does not. */
const DOWNLOAD_MAX_BYTES = 512 * MiB;
/** The most bytes of an error answer read (a JSON `{ code, message }`). */
const ERROR_ANSWER_MAX = 64 * 1024;
const IMAGES_PATH = '/v3/merchant-service/images/';

const fail = (code, message, field) => new WxPayError(code, message, field ? { field } : undefined);

/** Options of a method: a plain object (or undefined) with only `names`. */
function methodOptions(api, o, names) {
  if (o === undefined) return {};
  if (!isPlainObject(o)) throw fail('INVALID_PARAM', `${api}: options must be a plain object, got ${describe(o)}`);
  for (const k of Object.keys(o))
    if (!names.includes(k))
      throw fail('INVALID_PARAM', `${api}: unknown option \`${k}\` (options: ${names.join(', ')})`, k);
  return o;
}

function maxBytesOption(api, o, dflt) {
  const v = o.maxBytes ?? dflt;
  if (!Number.isSafeInteger(v) || v < 1)
    throw fail('INVALID_PARAM', `${api}: maxBytes must be a positive integer, got ${describe(v)}`, 'maxBytes');
  return v;
}

/**
 * The path and query to sign and send, from a URL on the client's origin (WeChat gives
 * `https://api.mch.weixin.qq.com/v3/billdownload/file?token=…`) or a `/v3/…` path. Cut out of
 * the string as given (no URL normalisation), so what is signed is what is sent; another
 * origin is refused before anything is signed.
 */
function pathOnOrigin(c, api, url) {
  if (typeof url !== 'string' || url === '')
    throw fail('INVALID_PARAM', `${api}: the URL must be a non-empty string, got ${describe(url)}`, 'url');
  let path = url;
  if (!url.startsWith('/')) {
    let origin;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = null;
    }
    if (origin !== c.baseUrl || !url.startsWith(`${c.baseUrl}/`))
      throw fail(
        'INVALID_PARAM',
        `${api}: ${origin ?? 'the URL'} is not this client's origin (${c.baseUrl}); the signed request is sent only there`,
        'url',
      );
    path = url.slice(c.baseUrl.length);
  }
  if (!path.startsWith('/v3/') || /[\s#]/.test(path) || hasControlOrQuote(path))
    throw fail(
      'INVALID_PARAM',
      `${api}: the URL's path must start with /v3/ and hold no spaces, quotes, controls or #`,
      'url',
    );
  return path;
}

/**
 * One attempt's signed headers (downloads and uploads): a fresh Authorization over `method`,
 * `path` and `body`, and Wechatpay-Serial, the platform key in use, as every request names it.
 */
async function attemptHeaders(c, method, path, body) {
  const { v3, mchId, serialNo, privateKey } = c;
  const authorization = await v3.authorization({ mchId, serialNo, privateKey, method, url: path, body });
  const { serial } = await platformKey(c);
  return { authorization, 'user-agent': 'wxpay-wasm', 'wechatpay-serial': serial };
}

/**
 * GETs `path` signed (fresh Authorization per attempt) and resolves at the answer's headers
 * with its body as a stream. A non-2xx answer is read (bounded) and thrown as WeChat's error
 * (verified when signed, answerV3); a declared Content-Length over maxBytes is refused
 * before any byte is read. Repeated as reading calls are (js/client/retry.js), only before
 * the body starts: once bytes flow, a failure is the stream's.
 */
function openDownload(c, api, path, maxBytes) {
  return withRetries({
    api,
    retries: c.retries,
    backoffMs: c.backoffMs,
    emit: c.emit,
    send: async () => {
      const headers = { ...(await attemptHeaders(c, 'GET', path, '')), accept: '*/*' };
      const r = await c.transport.stream({ method: 'GET', url: `${c.baseUrl}${path}`, headers });
      if (r.status < 200 || r.status >= 300) {
        const body = await readAll(firstBytes(r.body, ERROR_ANSWER_MAX)).catch(() => new Uint8Array(0));
        return answerV3(c, { status: r.status, headers: r.headers, body }); // throws: not 2xx
      }
      const declared = Number(r.headers['content-length']);
      if (declared > maxBytes) {
        r.body.cancel().catch(() => {});
        throw fail('INPUT_TOO_LARGE', `${api}: the answer declares ${declared} bytes; maxBytes is ${maxBytes}`);
      }
      return r;
    },
  });
}

/** A stream cut to its first `max` bytes (an error answer read only so far). */
function firstBytes(stream, max) {
  const reader = stream.getReader();
  let size = 0;
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done || size >= max) {
        if (!done) reader.cancel().catch(() => {});
        controller.close();
        return;
      }
      const part = value.subarray(0, max - size);
      size += part.byteLength;
      controller.enqueue(part);
    },
  });
}

/**
 * download's and downloadStream's checks, made before anything is sent (synchronously), and
 * the function that then opens the verified stream.
 */
function preparedDownload(c, api, url, o) {
  const opts = methodOptions(api, o, ['hashType', 'hashValue', 'maxBytes']);
  const hash = expectedHash(opts.hashType, opts.hashValue, api);
  const maxBytes = maxBytesOption(api, opts, DOWNLOAD_MAX_BYTES);
  const path = pathOnOrigin(c, api, url);
  return async () => {
    const r = await openDownload(c, api, path, maxBytes);
    return verifiedStream(r.body, { hash, maxBytes, what: `${api}'s file` });
  };
}

/** The verified file as a stream, returned at once (bad arguments throw now; the request goes at the first read). */
const downloadStreamV3 = (c, url, o) => lazyStream(preparedDownload(c, 'downloadStream', url, o));
async function downloadV3(c, url, o) {
  return readAll(await preparedDownload(c, 'download', url, o)());
}

/**
 * A complaint's image (消费者投诉 图片请求接口, GET /v3/merchant-service/images/{media_id}):
 * from the media URL a complaint lists (on the client's origin, signed as given) or a bare
 * media_id (percent-encoded into its segment). WeChat's page for it says nothing of a signed
 * answer and gives no digest: when the answer carries a Wechatpay-Signature it is verified
 * over the bytes (a wrong one refused), otherwise the bytes are accepted on TLS alone.
 */
async function complaintImageV3(c, mediaUrlOrId, o) {
  const api = 'complaintImage';
  const opts = methodOptions(api, o, ['maxBytes']);
  const maxBytes = maxBytesOption(api, opts, 16 * MiB);
  if (typeof mediaUrlOrId !== 'string' || mediaUrlOrId === '')
    throw fail('INVALID_PARAM', `${api}: give the media URL or media_id, got ${describe(mediaUrlOrId)}`, 'media_id');
  // A media_id is Base64-like and may start with '/': only `/v3/…` and http(s) URLs are URLs.
  const isUrl = mediaUrlOrId.startsWith('/v3/') || /^https?:/i.test(mediaUrlOrId);
  const path = isUrl ? pathOnOrigin(c, api, mediaUrlOrId) : `${IMAGES_PATH}${encodeURIComponent(mediaUrlOrId)}`;
  if (!path.startsWith(IMAGES_PATH) || path.length === IMAGES_PATH.length)
    throw fail('INVALID_PARAM', `${api}: the URL is not a ${IMAGES_PATH}{media_id} one`, 'media_id');
  const r = await openDownload(c, api, path, maxBytes);
  const body = await readAll(meteredStream(r.body, { maxBytes }));
  if (r.headers['wechatpay-signature'] !== undefined)
    await verifyWith(c, (publicKeys) => c.v3.verifySignature(body, r.headers, { publicKeys }));
  return body;
}

/** The bytes of `data` (its size was checked first: a Blob is read only then). */
async function bytesOf(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(await data.arrayBuffer());
}

/**
 * A media upload (图片上传, 视频上传, 营销图片上传, a complaint reply's image, or any v3 path
 * that takes `meta` + `file`): checked before any byte is read (multipart.js), the SHA-256
 * of the bytes by WebCrypto, the Authorization over exactly the meta JSON, the multipart
 * body built once and sent by every attempt, the signed JSON answer verified. A lost answer
 * is sent again like a reading call's: an upload has no business effect (WeChat stores the
 * file and names it; a second upload of the same bytes only gives another media_id).
 */
async function uploadV3(c, url, f) {
  const api = 'upload';
  if (!isPlainObject(f)) throw fail('INVALID_PARAM', `${api}: give { filename, data }, got ${describe(f)}`);
  for (const k of Object.keys(f))
    if (k !== 'filename' && k !== 'data')
      throw fail('INVALID_PARAM', `${api}: unknown field \`${k}\` (filename, data)`, k);
  const path = pathOnOrigin(c, api, url);
  const contentType = checkUpload(path.split('?')[0], f.filename, f.data);
  const bytes = await bytesOf(f.data);
  const sha256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
  const meta = JSON.stringify({ filename: f.filename, sha256 });
  const multipart = multipartBody(meta, f.filename, contentType, bytes);
  return withRetries({
    api,
    ref: f.filename,
    retries: c.retries,
    backoffMs: c.backoffMs,
    emit: c.emit,
    send: async () => {
      const signed = await attemptHeaders(c, 'POST', path, meta);
      const headers = { ...signed, accept: 'application/json', 'content-type': multipart.contentType };
      const r = await c.transport.send({ method: 'POST', url: `${c.baseUrl}${path}`, headers, body: multipart.body });
      return answerV3(c, r);
    },
  });
}

export { DOWNLOAD_MAX_BYTES, methodOptions, maxBytesOption, pathOnOrigin, openDownload };
export { downloadStreamV3, downloadV3, complaintImageV3, uploadV3 };
