// The one error class of the package. Every entry (wxpay-wasm, wxpay-wasm/v3) imports it
// from this shared module, so `instanceof WxPayError` holds across them in one runtime.
import { ERROR_DETAILS } from './contract.js';

export class WxPayError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'WxPayError';
    this.code = code;
    if (details) {
      for (const k of ERROR_DETAILS) if (details[k] !== undefined) this[k] = details[k];
    }
  }
}

/**
 * Rethrows what a wasm call threw: wasm's plain `Error` named WxPayError becomes a
 * WxPayError instance; `hint(e)` may add a sentence to its message (v2 explains a
 * RESULT_FAIL err_code). Anything else is rethrown as it is.
 */
export function rethrow(e, hint) {
  if (e && e.name === 'WxPayError' && !(e instanceof WxPayError)) {
    const extra = hint ? hint(e) : '';
    throw new WxPayError(e.code, extra ? `${e.message} ${extra}` : e.message, e);
  }
  throw e;
}
