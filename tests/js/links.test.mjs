// Every relative link in every Markdown file of the repository resolves: the file or folder
// exists inside the repository, and a #anchor names a heading (or id) of the target page.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { anchors, isExternal, links, markdownFiles, read, slug } from './support/markdown.mjs';

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
  if (statSync(abs).isDirectory() || !abs.endsWith('.md')) return 'an anchor into something that is not a Markdown file';
  const defined = anchors(path ? read(abs) : text);
  return defined.has(anchor) ? null : `no heading with anchor #${anchor}`;
}

test('the slug rule gives the anchors GitHub gives', () => {
  assert.equal(slug('The server flow: unified order → `wx.requestPayment` → notification'),
    'the-server-flow-unified-order--wxrequestpayment--notification');
  assert.equal(slug('Reading replies: `parseResponse(xml, { key, signType? })`'), 'reading-replies-parseresponsexml--key-signtype-');
  assert.equal(slug('Sandbox (仿真测试系统)'), 'sandbox-仿真测试系统');
  assert.equal(slug('The debugging page (`www/`)'), 'the-debugging-page-www');
  assert.equal(slug('snake_case stays'), 'snake_case-stays');
  assert.deepEqual([...anchors('# A\n## A\n```\n# not a heading\n```\n<a id="x"></a>')], ['a', 'a-1', 'x']);
});

test('the checker finds a broken file, a broken anchor, and ignores code and URLs', () => {
  const text = [
    '# Title', '[ok](README.md) [self](#title) [bad](no/such.md) [badanchor](#nope)',
    '`[code](not/a/link.md)`', '```', '[fenced](not/a/link.md)', '```', '[web](https://example.com/x.md)',
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
