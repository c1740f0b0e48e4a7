// The v3 uploads (the spec's multipart/form-data operations: images, videos, marketing media):
// a multipart body whose `meta` part is the JSON the merchant signs (its text is the body in
// the Authorization message), and whose `file` part is the bytes. WeChat checks the meta as a
// JSON body and its sha256 against the file; so does the mock.
import { createHash } from 'node:crypto';
import { V3Error } from './errors.mjs';

const refuse = (issue, field = 'multipart') =>
  new V3Error(400, 'PARAM_ERROR', `参数错误: 上传请求应为 multipart/form-data (${issue})`, {
    field,
    issue,
    location: 'body',
  });

/** Whether the operation takes a multipart body. */
export const isMultipart = (op) => op?.consumes?.includes('multipart/form-data') ?? false;

/** The parts of a multipart body: name → { data: Buffer, filename?, type? }. Throws PARAM_ERROR when malformed. */
export function parseMultipart(contentType, raw) {
  const m = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  if (!m) throw refuse('Content-Type 不是 multipart/form-data 或缺少 boundary');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = {};
  let at = raw.indexOf(delimiter);
  if (at < 0) throw refuse('找不到 boundary');
  for (;;) {
    at += delimiter.length;
    if (raw.subarray(at, at + 2).toString() === '--') return parts;
    const headEnd = raw.indexOf('\r\n\r\n', at);
    const next = raw.indexOf(delimiter, at);
    if (headEnd < 0 || next < 0 || headEnd > next) throw refuse('分段格式错误');
    const head = raw.subarray(at, headEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) throw refuse('分段缺少 Content-Disposition name');
    parts[name] = {
      data: raw.subarray(headEnd + 4, next - 2),
      filename: /filename="([^"]*)"/i.exec(head)?.[1],
      type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
    };
    at = next;
  }
}

/**
 * The multipart call read: { text (the meta's text: what the Authorization signs), meta (parsed),
 * file }. Missing parts or a meta that is not JSON are PARAM_ERROR.
 */
export function readUpload(contentType, raw) {
  const parts = parseMultipart(contentType, raw);
  for (const name of ['meta', 'file']) if (!parts[name]) throw refuse(`缺少 ${name} 分段`, name);
  const text = parts.meta.data.toString('utf8');
  let meta;
  try {
    meta = JSON.parse(text);
  } catch {
    throw refuse('meta 不是合法 JSON', 'meta');
  }
  return { text, meta, file: parts.file };
}

/** The meta's sha256 must be the file's (checked after the meta's fields, as a body's). */
export function checkSha256({ meta, file }) {
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  if (typeof meta?.sha256 === 'string' && meta.sha256.toLowerCase() !== sha256)
    throw new V3Error(400, 'PARAM_ERROR', '参数错误: meta 中的 sha256 与文件内容不符', {
      field: '/meta/sha256',
      value: meta.sha256,
      issue: `the file's SHA-256 is ${sha256}`,
      location: 'body',
    });
}
