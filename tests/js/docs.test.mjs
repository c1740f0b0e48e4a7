// The reference pages that restate what the code defines say exactly what it defines:
// the err_code page is the generator's output for js/errcodes.json, and the error-code
// table lists the package's ERROR_CODES, no more, no fewer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as wx from '../../pkg/node/index.mjs';
import { PAGE, current, render } from '../../scripts/errcodes-doc.mjs';

const doc = (p) => readFileSync(new URL(`../../docs/reference/${p}`, import.meta.url), 'utf8');

test('docs/reference/errcodes.md is up to date with js/errcodes.json', () => {
  assert.equal(
    readFileSync(PAGE, 'utf8'),
    current(),
    'docs/reference/errcodes.md differs from js/errcodes.json: run node scripts/errcodes-doc.mjs',
  );
});

test('the err_code page has one row per code the package describes, with its retry flag', () => {
  const page = doc('errcodes.md');
  const catalogue = wx.errorCatalogue();
  assert.ok(catalogue.length >= 20);
  for (const e of catalogue) {
    const row = page.split('\n').find((l) => l.startsWith(`| \`${e.code}\` |`));
    assert.ok(row, `${e.code} has a row`);
    assert.equal(row.split(' | ')[3], e.retryable ? '**yes**' : 'no', e.code);
  }
  // The generator escapes what would break a table.
  assert.match(
    render([{ code: 'X', zh: 'a|b', en: 'e', retryable: false, action: 'two\nlines', apis: [] }]),
    /\| a\\\|b \| e \| no \| two lines \|/,
  );
});

test('docs/reference/errors.md lists exactly the package ERROR_CODES', () => {
  const table = doc('errors.md')
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  const documented = table.flatMap((l) => [...l.split(' | ')[0].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), [...wx.ERROR_CODES].sort());
});

test('README stays the short front door: at most 250 lines, with the tested server block', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const lines = readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0);
  assert.ok(lines <= 250, `README.md has ${lines} lines; move detail to docs/`);
  assert.match(readme, /<!-- tested: readme-server -->\n```js\n/);
});
