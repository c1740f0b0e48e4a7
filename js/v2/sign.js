// v2 signatures: sign, verify, the string they are computed over, nonces, the XML of a
// parameter set, and diagnoseSign (its own wasm). Parameter objects cross as field lists
// (js/core/boundary.js convention 2); src/wasm/v2.rs and src/v2/sign.rs do the work.
import { WxPayError, describe, str, withFields, LIMITS } from '../core/index.js';
import { call, diagnosis, put, text, wasm } from './wasm.js';

export function sign(p, key, signType = 'MD5') {
  return call(() =>
    withFields(p, 'params', (fields) => text('sign', fields, str(key, 'key'), str(signType, 'signType'))),
  );
}

export function signingString(p) {
  return call(() => withFields(p, 'params', (fields) => text('signingString', fields)));
}

export function verify(p, key, signType) {
  return call(() => {
    const given = signType === undefined ? undefined : str(signType, 'signType');
    return withFields(p, 'params', (fields) => {
      const [pLen, keyLen, typeLen] = put([fields, str(key, 'key'), given ?? '']);
      return wasm.verify(pLen, keyLen, given === undefined ? undefined : typeLen);
    });
  });
}

export function nonceStr(length = LIMITS.nonceLengthMax) {
  const [min, max] = [LIMITS.nonceLengthMin, LIMITS.nonceLengthMax];
  if (typeof length !== 'number')
    throw new WxPayError('INVALID_PARAM', `length must be a number from ${min} to ${max}, got ${describe(length)}`);
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new WxPayError('INVALID_PARAM', `nonce length must be an integer from ${min} to ${max}, got ${length}`);
  }
  return call(() => wasm.nonceStr(length));
}

export function toXml(p) {
  return call(() => withFields(p, 'params', (fields) => text('toXml', fields)));
}

/** Why a signature does not match; the diagnosis wasm (src/wasm/diagnose.rs), loaded on demand. */
export function diagnoseSign(p, key, expectedSign, signType) {
  return call(() =>
    withFields(p, 'params', (fields) => {
      const args = [
        fields,
        str(key, 'key'),
        str(expectedSign, 'expectedSign'),
        signType === undefined ? undefined : str(signType, 'signType'),
      ];
      return diagnosis().diagnoseSign(...args);
    }),
  );
}

/** Bytes of wasm linear memory; for leak tests, not part of the documented API. */
export function __wasmMemoryBytes() {
  return wasm.__wasmMemoryBytes();
}
