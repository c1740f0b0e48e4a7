// Reading a v3 request body the way WeChat does: a JSON object, fields named by their JSON
// pointer (/amount/total) in the PARAM_ERROR that refuses them, and the merchant checked.
import { V3Error, paramError } from './errors.mjs';

/** The body as a JSON object, or WeChat's PARAM_ERROR for an empty, malformed or non-object body. */
export function json(bodyText) {
  if (!bodyText)
    throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体为空 (empty body)', {
      location: 'body',
      issue: 'empty body',
    });
  let v;
  try {
    v = JSON.parse(bodyText);
  } catch (e) {
    throw new V3Error(400, 'PARAM_ERROR', `参数错误: 请求体不是合法 JSON (${e.message})`, {
      location: 'body',
      issue: 'invalid JSON',
    });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体应为 JSON 对象', {
      location: 'body',
      issue: 'not an object',
    });
  return v;
}

const at = (o, path) =>
  path
    .split('/')
    .slice(1)
    .reduce((x, k) => (x == null ? undefined : x[k]), o);

/** A required string of at most `max` characters at `path`. */
export const str = (o, path, max = 256) => {
  const v = at(o, path);
  if (v === undefined || v === null || v === '') throw paramError(path, '为必填字段 (required)');
  if (typeof v !== 'string') throw paramError(path, '应为字符串 (must be a string)', 'body', v);
  if (v.length > max) throw paramError(path, `长度超过 ${max} (longer than ${max})`, 'body', v);
  return v;
};

/** A required amount in fen: a positive integer. */
export const fen = (o, path) => {
  const v = at(o, path);
  if (v === undefined || v === null) throw paramError(path, '为必填字段 (required)');
  if (!Number.isInteger(v) || v <= 0) throw paramError(path, '应为正整数(分) (a positive integer in fen)', 'body', v);
  return v;
};

/** An optional string: undefined when absent, else checked as `str`. */
export const optStr = (o, path, max) => (at(o, path) === undefined ? undefined : str(o, path, max));

/** The request's mchid (and appid, when given) must be the mock's merchant. */
export function sameMerchant({ cfg }, appid, mchid) {
  if (mchid !== cfg.mchid || (appid !== undefined && appid !== cfg.appid)) {
    throw new V3Error(
      400,
      'APPID_MCHID_NOT_MATCH',
      `AppID和mch_id不匹配: appid ${appid ?? '-'} / mchid ${mchid} (the mock serves appid ${cfg.appid}, mchid ${cfg.mchid})`,
    );
  }
}
