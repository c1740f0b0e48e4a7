// POST /v3/merchant/media/upload (and video_upload): the `meta` JSON ({ filename, sha256 }) is what
// the merchant signed (routes.mjs checks the Authorization over it); here its sha256 is checked
// against the file's bytes and a media_id returned. The bytes are kept in memory for the
// complaint images and the control interface.
import { createHash, randomBytes } from 'node:crypto';
import { V3Error, paramError } from './errors.mjs';
import { json, str } from './request.mjs';

const IMAGE = /\.(jpe?g|png|bmp)$/i;

/** The upload of `kind` (image | video): { media_id } when meta's sha256 is the file's. */
export function upload(ctx, kind, metaText, { upload: up }) {
  const file = up?.file;
  if (!file) throw paramError('file', '为必填部分 (multipart/form-data with meta and file)');
  const meta = json(metaText);
  const filename = str(meta, '/filename', 128);
  if (kind === 'image' && !IMAGE.test(filename))
    throw paramError('/filename', '图片格式只支持 JPG、BMP、PNG', 'body', filename);
  const sha = str(meta, '/sha256', 64).toLowerCase();
  const actual = createHash('sha256').update(file.data).digest('hex');
  if (sha !== actual)
    throw new V3Error(400, 'PARAM_ERROR', `参数错误: meta 的 sha256 与文件不符 (file sha256 ${actual})`, {
      location: 'body',
      field: '/sha256',
      issue: 'sha256 does not match the file',
    });
  if (kind === 'image' && file.data.length > 2 * 1024 * 1024) throw paramError('file', '图片大小不能超过 2M');
  const id = `mock-media-${randomBytes(24).toString('base64url')}`;
  ctx.media ??= new Map();
  ctx.media.set(id, { filename, sha256: actual, data: Buffer.from(file.data), at: Date.now() });
  ctx.log(`v3 media uploaded: ${filename}, ${file.data.length} bytes, media_id ${id}`);
  return { status: 200, json: { media_id: id } };
}

/** The control interface's view of the uploads (no bytes). */
export const listMedia = (ctx) =>
  [...(ctx.media ?? new Map()).entries()].map(([media_id, m]) => ({
    media_id,
    filename: m.filename,
    sha256: m.sha256,
    size: m.data.length,
  }));
