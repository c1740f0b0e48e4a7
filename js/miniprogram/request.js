// One call to WeChat's mini-program APIs, for client.js, shipping.js and xpay.js: the
// answer read as JSON, its errcode mapped (errcodes.js), the access token attached and,
// after 40001/42001, fetched again and the call sent once more.
import { WxPayError } from '../core/index.js';
import { TOKEN_ERRCODES, answerError } from './errcodes.js';

/** One call: `query` (an object, in its key order) after the path, `body` (text) as JSON. Returns the parsed answer. */
export async function send(c, method, path, query, body) {
  const qs = new URLSearchParams(query).toString();
  const url = `${c.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  const what = `${method} ${path}`;
  const started = Date.now();
  const res = await c.transport.send({
    method,
    url,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  let a;
  try {
    a = JSON.parse(new TextDecoder().decode(res.body));
  } catch {
    a = undefined;
  }
  if (res.status < 200 || res.status > 299 || a === null || typeof a !== 'object') {
    c.emit({ type: 'call', path, status: res.status, ms: Date.now() - started });
    throw new WxPayError(
      res.status >= 500 ? 'NETWORK_ERROR' : 'INVALID_JSON',
      `${what}: HTTP ${res.status}, ${a === undefined ? 'not a JSON answer' : 'not the JSON object expected'}`,
      { httpStatus: res.status, retryable: res.status >= 500 },
    );
  }
  const err = answerError(what, a);
  c.emit({
    type: 'call',
    path,
    status: res.status,
    ms: Date.now() - started,
    ...(err ? { errCode: err.errCode } : {}),
  });
  if (err) throw err;
  return a;
}

/**
 * A call that carries the access token (`?access_token=` first, then `extra(body)`'s
 * parameters), sent again once with a new token after 40001/42001: another instance's forced
 * refresh, or a token that expired early, is recovered without the caller seeing it.
 */
export async function withToken(c, path, bodyText, extra = () => ({})) {
  for (let attempt = 0; ; attempt++) {
    const token = await c.tokens.get();
    try {
      return await send(c, 'POST', path, { access_token: token, ...extra(bodyText) }, bodyText);
    } catch (e) {
      if (attempt > 0 || !(e instanceof WxPayError) || !TOKEN_ERRCODES.has(Number(e.errCode))) throw e;
      c.tokens.invalidate(token);
    }
  }
}
