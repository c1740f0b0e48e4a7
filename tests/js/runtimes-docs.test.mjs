// The runtime pages (docs/guide/runtimes/) show their examples exactly as the files that
// `make test-runtimes` runs (examples/runtimes/), and every example file is shown somewhere.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pagesDir = join(root, 'docs/guide/runtimes');
const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.md'));
const EXAMPLE = /<!-- example: (\S+) -->\n`\1`:\n\n```\w+\n([\s\S]*?)```/g;

const exampleFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? exampleFiles(join(dir, e.name)) : [relative(root, join(dir, e.name))],
  );

test('every example block on a runtime page is its file, byte for byte', () => {
  let blocks = 0;
  for (const page of pages) {
    const text = readFileSync(join(pagesDir, page), 'utf8');
    const markers = text.match(/<!-- example: /g)?.length ?? 0;
    const found = [...text.matchAll(EXAMPLE)];
    assert.equal(found.length, markers, `${page}: an example marker without its block`);
    for (const [, path, code] of found) {
      assert.equal(code, readFileSync(join(root, path), 'utf8'), `${page}: the block of ${path} differs from the file`);
      blocks++;
    }
  }
  assert.ok(blocks >= 9, `${blocks} example blocks`);
});

test('every file of examples/runtimes is shown on a runtime page', () => {
  const shown = new Set(
    pages.flatMap((p) => [...readFileSync(join(pagesDir, p), 'utf8').matchAll(EXAMPLE)].map((m) => m[1])),
  );
  for (const file of exampleFiles(join(root, 'examples/runtimes'))) assert.ok(shown.has(file), `${file} is on no page`);
});
