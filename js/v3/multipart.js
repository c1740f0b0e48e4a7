// The multipart/form-data body of a v3 media upload, built here byte by byte. WeChat signs
// the upload by its `meta` part alone (the Authorization's body is exactly the meta JSON),
// and the request carries two parts, `meta` (that JSON) and `file` (the bytes). Built by
// hand rather than with FormData: every runtime's fetch then sends the same bytes (FormData
// is serialised differently by undici, Deno, Bun and browsers, with boundaries and part
// headers each chooses), the meta part is exactly the signed string, and tests can compare
// what was received with what was signed. The boundary is 24 random bytes from the CSPRNG.
import { WxPayError, describe } from '../core/index.js';

const encoder = new TextEncoder();

/**
 * Content types by file extension: the formats WeChat's upload APIs accept (images: JPG,
 * BMP, PNG; videos: avi, wmv, mpeg, mp4, mov, mkv, flv, f4v, m4v, rmvb). Another extension
 * is refused: WeChat would refuse it after the upload.
 */
const CONTENT_TYPES = Object.freeze({
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  avi: 'video/x-msvideo',
  wmv: 'video/x-ms-wmv',
  mpeg: 'video/mpeg',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  flv: 'video/x-flv',
  f4v: 'video/x-f4v',
  m4v: 'video/x-m4v',
  rmvb: 'application/vnd.rn-realmedia-vbr',
});
const IMAGES = ['jpg', 'jpeg', 'png', 'bmp'];
const MiB = 1024 * 1024;

/**
 * What each known upload path accepts, from WeChat's API pages: 图片上传 (media/upload,
 * pay.weixin.qq.com/wiki/doc/apiv3/wxpay/tool/chapter3_1.shtml: "JPG、BMP、PNG…不能超过2M"),
 * 视频上传 (media/video_upload, …/tool/chapter3_2.shtml: "avi、wmv、mpeg、mp4、mov、mkv、
 * flv、f4v、m4v、rmvb…不能超过5M"), 图片上传(营销专用) (marketing/favor/media/image-upload:
 * JPG, BMP, PNG, 2M) and the complaint reply images (merchant-service/images/upload: JPG,
 * BMP, PNG, 2M). "M" is read as MiB. Any other path takes any extension above, up to
 * UPLOAD_MAX_BYTES.
 */
const UPLOAD_RULES = Object.freeze({
  '/v3/merchant/media/upload': { exts: IMAGES, maxBytes: 2 * MiB },
  '/v3/merchant/media/video_upload': {
    exts: ['avi', 'wmv', 'mpeg', 'mp4', 'mov', 'mkv', 'flv', 'f4v', 'm4v', 'rmvb'],
    maxBytes: 5 * MiB,
  },
  '/v3/marketing/favor/media/image-upload': { exts: IMAGES, maxBytes: 2 * MiB },
  '/v3/merchant-service/images/upload': { exts: IMAGES, maxBytes: 2 * MiB },
});
/** The most bytes an upload to another path may have. */
const UPLOAD_MAX_BYTES = 32 * MiB;

/** Whether text holds a quote, a backslash or a control character (it goes into a part header). */
function hasControlOrQuote(text) {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 0x20 || ch === 0x7f || ch === 0x22 || ch === 0x5c) return true;
  }
  return false;
}

const fail = (code, message, field) => new WxPayError(code, message, field ? { field } : undefined);

/** The length of `data` (Uint8Array, ArrayBuffer or Blob) without reading it; refused otherwise. */
function dataSize(data) {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  throw fail(
    'INVALID_PARAM',
    `upload: data must be a Uint8Array, an ArrayBuffer or a Blob, got ${describe(data)}`,
    'data',
  );
}

/**
 * Checks an upload before any byte is read: the path's rule, the file name (1–128
 * characters, a known extension the path accepts, no quote, backslash or line break: it is
 * written into a part header) and the size. Returns the content type.
 */
function checkUpload(path, filename, data) {
  if (typeof filename !== 'string' || filename.length === 0 || filename.length > 128)
    throw fail(
      'INVALID_PARAM',
      `upload: filename must be a name of 1 to 128 characters, got ${describe(filename)}`,
      'filename',
    );
  if (hasControlOrQuote(filename))
    throw fail(
      'INVALID_PARAM',
      'upload: filename may not contain quotes, backslashes or control characters',
      'filename',
    );
  const dot = filename.lastIndexOf('.');
  const ext = dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
  const rule = UPLOAD_RULES[path];
  const exts = rule?.exts ?? Object.keys(CONTENT_TYPES);
  if (!exts.includes(ext))
    throw fail(
      'INVALID_PARAM',
      `upload: ${path} accepts ${exts.join(', ')} files; "${filename}" is not one`,
      'filename',
    );
  const size = dataSize(data);
  const max = rule?.maxBytes ?? UPLOAD_MAX_BYTES;
  if (size === 0) throw fail('INVALID_PARAM', 'upload: data is empty', 'data');
  if (size > max) throw fail('INPUT_TOO_LARGE', `upload: ${size} bytes; ${path} takes at most ${max}`, 'data');
  return CONTENT_TYPES[ext];
}

/** A boundary of 24 random bytes (hex): a CSPRNG's, so no file's bytes can contain it by design. */
function randomBoundary() {
  const b = crypto.getRandomValues(new Uint8Array(24));
  let s = '';
  for (const x of b) s += (x < 16 ? '0' : '') + x.toString(16);
  return `wxpay-wasm-${s}`;
}

/**
 * The multipart body: part `meta` (application/json, exactly `meta`) then part `file`
 * (`contentType`, the bytes). Returns `{ body: Uint8Array, contentType }` (the header value,
 * with its boundary). The file name is written as given (UTF-8), as WeChat's own examples send it.
 */
function multipartBody(meta, filename, contentType, bytes, boundary = randomBoundary()) {
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${meta}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + bytes.length + tail.length);
  body.set(head, 0);
  body.set(bytes, head.length);
  body.set(tail, head.length + bytes.length);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export {
  hasControlOrQuote,
  CONTENT_TYPES,
  UPLOAD_RULES,
  UPLOAD_MAX_BYTES,
  checkUpload,
  dataSize,
  multipartBody,
  randomBoundary,
};
