// WeChat's v2 err_code catalogue for JavaScript: js/errcodes.json is written from
// src/v2/errcodes.rs (a cargo test keeps the two equal); the wasm keeps only each code's
// `retryable`, so the prose is not shipped twice.
import { str } from '../core/index.js';
import ERR_CATALOGUE from '../errcodes.json' with { type: 'json' };

const errCodeInfo = (code) => ERR_CATALOGUE.find((e) => e.code === code);
const copyInfo = (e) => ({ ...e, apis: [...e.apis] });

/** A RESULT_FAIL with a documented err_code says what it means and what to do. */
export function resultHint(e) {
  const info = e.code === 'RESULT_FAIL' && errCodeInfo(e.errCode);
  return info ? `(${info.en}. ${info.action})` : '';
}

/** What an err_code means, what to do, and whether to retry; undefined for an unknown code. */
export function describeErrCode(code) {
  const info = errCodeInfo(str(code, 'code'));
  return info && copyInfo(info);
}

/** The whole catalogue, a copy the caller may change. */
export function errorCatalogue() {
  return ERR_CATALOGUE.map(copyInfo);
}
