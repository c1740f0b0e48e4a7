// How the tests type-check TypeScript as a user of the package would: tsc from tests/js's
// devDependencies, strict, Node's ESM resolution (the exports map), no output.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * tsc --strict over one module (types and v3-types): `source` written to `dir/name` and checked
 * there. '' when it compiles, else tsc's diagnostics, each error followed by the line it is on.
 */
export function compileModule(dir, name, source) {
  writeFileSync(join(dir, name), source);
  try {
    execFileSync('node', [TSC, ...TSC_STRICT, name], { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (e) {
    const lines = source.split('\n');
    const out = `${e.stdout}${e.stderr}`.trim() || String(e);
    return out.replace(/^\S+\((\d+),\d+\): (.*)$/gm, (_, l, msg) => `${msg}\n    ${lines[l - 1]}`);
  }
}
