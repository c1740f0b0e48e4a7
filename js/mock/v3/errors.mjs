// The error a v3 handler throws for WeChat's JSON error answer ({ code, message, detail }),
// and the helper that drops absent members from what is answered.

export class V3Error extends Error {
  constructor(status, code, message, detail) {
    super(message);
    Object.assign(this, { status, code, detail });
  }
}

/** WeChat's 400 PARAM_ERROR naming the field (a JSON pointer in the body, or a query name). */
export const paramError = (field, issue, location = 'body', value) =>
  new V3Error(400, 'PARAM_ERROR', `参数错误: ${field} ${issue}`, {
    location,
    field,
    issue,
    ...(value === undefined ? {} : { value }),
  });

/** The object without its undefined members (WeChat omits absent fields rather than writing null). */
export function strip(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
