// How the tests type-check TypeScript as a user of the package would: tsc from tests/js's
// devDependencies, strict, Node's ESM resolution (the exports map), no output.
import { fileURLToPath } from 'node:url';

/** tests/js's tsc (run it with `node`). */
export const TSC = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

/** The compiler options every type check here shares; callers add files and extra options. */
export const TSC_STRICT = [
  '--noEmit',
  '--strict',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--target',
  'es2022',
  '--lib',
  'es2022,dom',
];
