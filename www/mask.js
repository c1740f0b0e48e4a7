// How the page shows a key (in the signing string it displays): the one rule of the core's
// `mask_key` (src/core/error.rs) and the mock's logs (js/mock/util.mjs maskKey). Counted in
// characters (code points), a key of 6 or fewer is all `*`; a longer one keeps its first and
// last two characters with one `*` for each in between.

export function maskKey(key) {
  const c = Array.from(key);
  return c.length <= 6
    ? '*'.repeat(c.length)
    : c.slice(0, 2).join('') + '*'.repeat(c.length - 4) + c.slice(-2).join('');
}
