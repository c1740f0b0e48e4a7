// How the browser and Worker entries hold a wasm that is not loaded yet (their Node entries
// load theirs synchronously and need none of this).
import { WxPayError } from './error.js';

/**
 * A stand-in for a wasm's exports until its entry's init() has loaded it: any use throws
 * `message` as INVALID_PARAM, instead of a TypeError from inside the glue. The entry binds
 * the real exports in its place once they are loaded, so calls after init() cost nothing.
 */
export function notLoaded(message) {
  return new Proxy(
    {},
    {
      get() {
        throw new WxPayError('INVALID_PARAM', message);
      },
    },
  );
}

/**
 * A wasm loaded on demand (the diagnosis wasm): `load(input)` runs `open(input)`, which
 * resolves to the initialised glue, once; later calls return the same promise, and a failed
 * load (a wrong URL, the network) is not kept, so the next call tries again. `get()` returns
 * the glue, or throws `message` as INVALID_PARAM before it is loaded.
 */
export function onDemand(open, message) {
  let glue = null;
  let loading;
  return {
    load(input) {
      loading ??= open(input).then(
        (g) => {
          glue = g;
        },
        (e) => {
          loading = undefined;
          throw e;
        },
      );
      return loading;
    },
    get() {
      if (glue === null) throw new WxPayError('INVALID_PARAM', message);
      return glue;
    },
  };
}
