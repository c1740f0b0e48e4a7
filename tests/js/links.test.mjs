// Every relative link in every Markdown file of the repository resolves: the file or folder
// exists inside the repository, and a #anchor names a heading (or id) of the target page.
// And every repository path README.md, CONTRIBUTING.md and docs/ name in backquotes exists.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { anchors, isExternal, links, markdownFiles, read, slug, withoutFences } from './support/markdown.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The broken links of one file, as "file:line → target (why)". */
function brokenLinks(file, text = read(join(root, file))) {
  const broken = [];
  for (const { line, target } of links(text)) {
    if (isExternal(target)) continue;
    const why = problem(file, text, target);
    if (why) broken.push(`${file}:${line} → ${target} (${why})`);
  }
  return broken;
}

function problem(file, text, target) {
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  if (path.startsWith('/')) return 'absolute path: write it relative to this file';
  const abs = path ? normalize(join(root, dirname(file), path)) : join(root, file);
  if (relative(root, abs).startsWith('..')) return 'outside the repository';
  if (!existsSync(abs)) return 'no such file';
  if (anchor === undefined || anchor === '') return null;
  if (statSync(abs).isDirectory() || !abs.endsWith('.md'))
    return 'an anchor into something that is not a Markdown file';
  const defined = anchors(path ? read(abs) : text);
  return defined.has(anchor) ? null : `no heading with anchor #${anchor}`;
}

test('the slug rule gives the anchors GitHub gives', () => {
  assert.equal(
    slug('The server flow: unified order → `wx.requestPayment` → notification'),
    'the-server-flow-unified-order--wxrequestpayment--notification',
  );
  assert.equal(
    slug('Reading replies: `parseResponse(xml, { key, signType? })`'),
    'reading-replies-parseresponsexml--key-signtype-',
  );
  assert.equal(slug('Sandbox (仿真测试系统)'), 'sandbox-仿真测试系统');
  assert.equal(slug('The debugging page (`www/`)'), 'the-debugging-page-www');
  assert.equal(slug('snake_case stays'), 'snake_case-stays');
  assert.deepEqual([...anchors('# A\n## A\n```\n# not a heading\n```\n<a id="x"></a>')], ['a', 'a-1', 'x']);
});

test('the checker finds a broken file, a broken anchor, and ignores code and URLs', () => {
  const text = [
    '# Title',
    '[ok](README.md) [self](#title) [bad](no/such.md) [badanchor](#nope)',
    '`[code](not/a/link.md)`',
    '```',
    '[fenced](not/a/link.md)',
    '```',
    '[web](https://example.com/x.md)',
  ].join('\n');
  assert.deepEqual(brokenLinks('README.md', text), [
    'README.md:2 → no/such.md (no such file)',
    'README.md:2 → #nope (no heading with anchor #nope)',
  ]);
});

test('every relative link and anchor in every Markdown file resolves', () => {
  const files = markdownFiles(root);
  for (const must of ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'docs/guide/payments.md']) {
    assert.ok(files.includes(must), `${must} is among the files checked`);
  }
  const all = files.flatMap((f) => links(read(join(root, f))).filter((l) => !isExternal(l.target)));
  assert.ok(all.length > 50, `only ${all.length} relative links found: is the scan reading the files?`);
  const broken = files.flatMap((f) => brokenLinks(f));
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
  console.log(`${files.length} Markdown files, ${all.length} relative links, all resolve`);
});

// ---- repository paths named in backquotes

/** Top-level entries of the repository a path may start with; build output is not a repository path. */
const TOP = new Set(
  readdirSync(root).filter((n) => !n.startsWith('.') && !['pkg', 'target', 'node_modules'].includes(n)),
);
/** Every .rs file under src/, by file name, for a module named by its bare name (`wire.rs`). */
const rustFiles = (dir = 'src') =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? rustFiles(`${dir}/${e.name}`) : e.name.endsWith('.rs') ? [e.name] : [],
  );

/**
 * The repository paths a Markdown text names in inline code (fenced blocks are code, not
 * prose): `[{ line, path }]`. A path starts with a top-level entry (`src/…`, `js/…`,
 * `Cargo.toml`); a Rust module may also be named from src/ (`v2/sign.rs`) or by its file
 * name (`sign.rs`). `:12` / `:12-30` line suffixes are dropped; spans with spaces or
 * placeholders (`<target>`) are not paths.
 */
function namedPaths(text) {
  const out = [];
  withoutFences(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/(`+)([^`]+?)\1/g)) {
        const path = m[2].trim().replace(/:\d+(?:[-–]\d+)?$/, '');
        if (/[\s<>{}…]/.test(path) || path.startsWith('/')) continue;
        const first = path.split('/')[0];
        if ((TOP.has(first) && (path.includes('/') || TOP.has(path))) || path.endsWith('.rs'))
          out.push({ line: i + 1, path });
      }
    });
  return out;
}

/** Why a named path does not exist, or null. */
function missing(path) {
  const candidates = TOP.has(path.split('/')[0]) ? [path] : [`src/${path}`];
  if (candidates.some((c) => (c.includes('*') ? globExists(c) : existsSync(join(root, c))))) return null;
  if (!path.includes('/') && path.endsWith('.rs') && rustFiles().includes(path)) return null;
  if (ignoredByGit(candidates[0])) return null; // output a command writes (fuzz/artifacts/, tests/artifacts/)
  return 'no such file or folder';
}

/** `dir/name-*.ext`: at least one file matches (one `*` segment, the last). */
function globExists(pattern) {
  const dir = pattern.slice(0, pattern.lastIndexOf('/'));
  const re = new RegExp(
    `^${pattern
      .slice(dir.length + 1)
      .split('*')
      .map((s) => s.replace(/[.+?^$()[\]|\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return !dir.includes('*') && existsSync(join(root, dir)) && readdirSync(join(root, dir)).some((n) => re.test(n));
}

function ignoredByGit(path) {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('the path checker reads inline code only, knows globs, src/ modules and ignored output', () => {
  const text = [
    '`src/core/error.rs` `v2/sign.rs` `sign.rs` `tests/js/client-*.test.mjs` `Cargo.toml` `js/index.d.ts:12`',
    '`js/api.js` `v2/json.rs` `nosuch.rs` `tests/js/nosuch-*.mjs`',
    '`npm install` `/v3/pay/transactions/jsapi` `fuzz/artifacts/<target>/` `tests/artifacts/screenshots/` `pkg/node/` `node/`',
    '```',
    '`src/not/checked.rs`',
    '```',
  ].join('\n');
  const named = namedPaths(text);
  assert.deepEqual(
    named.map((n) => n.path),
    [
      'src/core/error.rs',
      'v2/sign.rs',
      'sign.rs',
      'tests/js/client-*.test.mjs',
      'Cargo.toml',
      'js/index.d.ts',
      'js/api.js',
      'v2/json.rs',
      'nosuch.rs',
      'tests/js/nosuch-*.mjs',
      'tests/artifacts/screenshots/',
    ],
  );
  assert.deepEqual(
    named.filter((n) => missing(n.path)).map((n) => `${n.line}:${n.path}`),
    ['2:js/api.js', '2:v2/json.rs', '2:nosuch.rs', '2:tests/js/nosuch-*.mjs'],
  );
});

test('every repository path README.md, CONTRIBUTING.md and docs/ name in backquotes exists', () => {
  const files = markdownFiles(root).filter(
    (f) => f === 'README.md' || f === 'CONTRIBUTING.md' || f.startsWith('docs/'),
  );
  const named = files.flatMap((file) => namedPaths(read(join(root, file))).map((n) => ({ ...n, file })));
  assert.ok(named.length > 50, `only ${named.length} paths found: is the scan reading the files?`);
  const wrong = named
    .filter((n) => missing(n.path))
    .map((n) => `${n.file}:${n.line} → \`${n.path}\` (${missing(n.path)})`);
  assert.deepEqual(wrong, [], `paths that do not exist:\n${wrong.join('\n')}`);
  console.log(`${files.length} Markdown files name ${named.length} repository paths, all exist`);
});
