// The client options the merchant may tune, shared by wechat/v2.js and wechat/v3.js.
/**
 * The client's timeout and retry count, when the merchant sets them (WXPAY_TIMEOUT_MS,
 * WXPAY_RETRIES); otherwise the client's defaults (5000 ms, 2 retries).
 */
export function clientTuning(config) {
  const out = {};
  if (config.timeoutMs !== undefined) out.timeoutMs = config.timeoutMs;
  if (config.retries !== undefined) out.retries = config.retries;
  if (config.backoffMs !== undefined) out.backoffMs = config.backoffMs;
  return out;
}
