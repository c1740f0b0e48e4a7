// Every TypeScript block of the documentation (```ts or ```typescript in README.md,
// CONTRIBUTING.md and docs/) compiles with `tsc --strict` against the packed package, as a
// user's file would: each block is its own ES module (.mts, top-level await allowed) in a
// project that installed the tarball, with Node's types (@types/node) and the DOM's.
//
// A block declares what it uses without showing it (a logger, a database, a client made by
// an earlier block) in an HTML comment right above its fence, which readers do not see:
//
//   <!-- ts-preamble: declare const db: { markPaid(outTradeNo: string): Promise<void> }; -->
//   ```ts
//
// JavaScript blocks (```js) are not compiled here: the tests that run them check them
// (readme.test.mjs, v3-docs.test.mjs, runtimes-docs.test.mjs).
import { TSC, TSC_STRICT } from './support/tsc.mjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { markdownFiles, read } from './support/markdown.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const nodeTypes = join(here, 'node_modules/@types');

/** The Markdown files whose TypeScript blocks must compile. */
const DOC_FILES = markdownFiles(root).filter(
  (f) => f === 'README.md' || f === 'CONTRIBUTING.md' || f.startsWith('docs/'),
);

/**
 * The TypeScript blocks of a Markdown text: [{ line, code, preamble }], `line` being the
 * fence's (1-based). Fences of three or more backquotes or tildes; a fence inside another
 * block is code, not a block.
 */
function typescriptBlocks(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const close = new RegExp(`^\\s{0,3}${open[1][0] === '`' ? '`' : '~'}{${open[1].length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end])) end++;
    if (open[2] === 'ts' || open[2] === 'typescript') {
      out.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), preamble: preambleAbove(lines, i) });
    }
    i = end;
  }
  return out;
}

/**
 * The `<!-- ts-preamble: … -->` comment that ends on the line above `fence`, or ''. A block
 * that a test also runs has its `<!-- tested: NAME -->` marker (support/markdown.mjs
 * `taggedBlock`) directly above the fence, and the preamble above that marker.
 */
function preambleAbove(lines, fence) {
  const end = fence > 0 && /^<!-- tested: [\w-]+ -->$/.test(lines[fence - 1].trim()) ? fence - 1 : fence;
  if (end === 0 || !lines[end - 1].trimEnd().endsWith('-->')) return '';
  let start = end - 1;
  while (start >= 0 && !lines[start].includes('<!--')) start--;
  const m = /<!--\s*ts-preamble:([\s\S]*?)-->\s*$/.exec(lines.slice(start, end).join('\n'));
  return m ? m[1].trim() : '';
}

let dir;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8' });

before(() => {
  assert.ok(
    existsSync(join(nodeTypes, 'node')),
    'tests/js needs its devDependencies (@types/node): npm install in tests/js',
  );
  dir = mkdtempSync(join(tmpdir(), 'wxpay-docs-ts-'));
  const tgz = run('npm', ['pack', join(root, 'pkg'), '--pack-destination', dir, '--silent'])
    .trim()
    .split('\n')
    .pop();
  writeFileSync(join(dir, 'package.json'), '{"name":"docs-ts","private":true}');
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, tgz)]);
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

/**
 * Compiles the blocks, each as its own module; returns tsc's errors mapped back to
 * "file.md:line: message" (the line of the Markdown file the error is on).
 */
function compileBlocks(blocks) {
  const names = blocks.map((b, n) => {
    const name = `block-${n}.mts`;
    b.offset = b.preamble ? b.preamble.split('\n').length : 0;
    writeFileSync(join(dir, name), `${b.preamble ? `${b.preamble}\n` : ''}${b.code}\nexport {};\n`);
    return name;
  });
  try {
    execFileSync(
      'node',
      [
        TSC,
        ...TSC_STRICT,
        '--typeRoots',
        nodeTypes,
        '--types',
        'node',
        '--skipLibCheck',
        '--pretty',
        'false',
        ...names,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    return [];
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    const errors = out
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const m = /^block-(\d+)\.mts\((\d+),\d+\): (.*)$/.exec(l);
        if (!m) return l;
        const b = blocks[Number(m[1])];
        const at = Number(m[2]) - b.offset;
        return at >= 1 ? `${b.file}:${b.line + at}: ${m[3]}` : `${b.file}:${b.line} (its ts-preamble): ${m[3]}`;
      });
    return errors.length ? errors : [String(e)];
  }
}

test('blocks and preambles are read as documented', () => {
  const text = [
    '# T',
    '```js',
    'not ts',
    '```',
    '<!-- ts-preamble: declare const db: { ok(): void }; -->',
    '```ts',
    'db.ok();',
    '```',
    '<!-- ts-preamble:',
    'declare const a: number;',
    '-->',
    '```typescript',
    'const b: number = a;',
    '```',
    '<!-- ts-preamble: declare const log: { info(e: object): void }; -->',
    '<!-- tested: run-me -->',
    '```ts',
    'log.info({});',
    '```',
    '<!-- tested: no-preamble -->',
    '```ts',
    'const c = 1;',
    '```',
    '````md',
    '```ts',
    'inside another block',
    '```',
    '````',
  ].join('\n');
  assert.deepEqual(typescriptBlocks(text), [
    { line: 6, code: 'db.ok();', preamble: 'declare const db: { ok(): void };' },
    { line: 12, code: 'const b: number = a;', preamble: 'declare const a: number;' },
    { line: 17, code: 'log.info({});', preamble: 'declare const log: { info(e: object): void };' },
    { line: 21, code: 'const c = 1;', preamble: '' },
  ]);
});

test('a block that does not compile fails, named by its Markdown file and line', () => {
  const blocks = typescriptBlocks(
    "x\n```ts\nimport { createClient } from 'wxpay-wasm/v3';\nconst c: number = createClient;\n```\n",
  ).map((b) => ({ ...b, file: 'broken.md' }));
  const errors = compileBlocks(blocks);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /^broken\.md:4: error TS2322/);
});

test('every TypeScript block in README.md, CONTRIBUTING.md and docs/ compiles with tsc --strict', () => {
  const blocks = DOC_FILES.flatMap((file) => typescriptBlocks(read(join(root, file))).map((b) => ({ ...b, file })));
  assert.ok(blocks.length >= 3, `only ${blocks.length} TypeScript blocks found: is the scan reading the files?`);
  const errors = compileBlocks(blocks);
  assert.deepEqual(errors, [], `TypeScript blocks that do not compile:\n${errors.join('\n')}`);
  const withPreamble = blocks.filter((b) => b.preamble).map((b) => `${b.file}:${b.line}`);
  console.log(
    `${blocks.length} TypeScript blocks compiled (${withPreamble.length} with a preamble: ${withPreamble.join(', ')})`,
  );
});
