// The contract generated from the Rust core (js/contract.json, written by
// `WXPAY_BLESS=1 cargo test contract`): codes, detail names, limits, endpoints, causes
// and the option names of every export. In the package, pkg/core inlines only the codes,
// detail names and limits (scripts/build-pkg.mjs `contractView`): the families' modules import
// their own tables from the JSON directly, so each entry carries only its family's.
import CONTRACT from '../contract.json' with { type: 'json' };

/** Error codes, in the order the core declares them. */
export const ERROR_CODES = Object.freeze(CONTRACT.codes.map((c) => c.code));

/** Facts wasm attaches to an error beside its code and message. */
export const ERROR_DETAILS = Object.freeze([...CONTRACT.details]);

/** The core's numeric limits (`maxBytesDefault`, `maxBytesCeiling`, `nonceLengthMin/Max`). */
export const LIMITS = Object.freeze({ ...CONTRACT.limits });

export { CONTRACT };
