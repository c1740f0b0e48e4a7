// multipart/form-data as WeChat's upload APIs take it: a `meta` part (the JSON the merchant
// signs, in place of the body) and a `file` part (the bytes). Read from the raw request bytes.
import { V3Error } from './errors.mjs';

const bad = (issue) =>
  new V3Error(400, 'PARAM_ERROR', `参数错误: ${issue}`, { location: 'body', issue });

/** The parts of a multipart body: { name → { filename?, type?, data: Buffer } }. */
function parts(boundary, raw) {
  const sep = Buffer.from(`--${boundary}`);
  const out = {};
  let at = raw.indexOf(sep);
  if (at < 0) throw bad('multipart body has no boundary line');
  for (;;) {
    at += sep.length;
    if (raw.subarray(at, at + 2).toString() === '--') return out;
    const headEnd = raw.indexOf('\r\n\r\n', at);
    const next = raw.indexOf(sep, at);
    if (headEnd < 0 || next < 0) throw bad('multipart part is not terminated');
    const head = raw.subarray(at, headEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) throw bad('multipart part without a name');
    out[name] = {
      filename: /filename="([^"]*)"/i.exec(head)?.[1],
      type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
      data: raw.subarray(headEnd + 4, next - 2),
    };
    at = next;
  }
}

/** { meta (the signed text), file: { filename, type, data } } of an upload. */
export function multipart(contentType, raw) {
  const boundary = /^multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
  if (!boundary) throw bad('Content-Type 应为 multipart/form-data; boundary=…');
  const p = parts(boundary, raw);
  if (!p.meta) throw bad('缺少 meta 部分 (no meta part)');
  if (!p.file) throw bad('缺少 file 部分 (no file part)');
  let meta;
  try {
    meta = new TextDecoder('utf-8', { fatal: true }).decode(p.meta.data);
  } catch {
    throw bad('meta 不是 UTF-8');
  }
  return { meta, file: p.file };
}
