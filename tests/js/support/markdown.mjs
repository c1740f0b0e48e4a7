// What the documentation tests need to read Markdown: the repository's .md files, the links
// in one, the anchors GitHub makes for its headings, and a README code block by its marker.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that hold no documentation of ours: dependencies, build output, fuzz data. */
const SKIP = new Set(['node_modules', 'target', 'pkg', '.git', 'corpus', 'artifacts']);

/** Every Markdown file under `root`, as paths relative to it, sorted. */
export function markdownFiles(root, dir = '') {
  const out = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) out.push(...markdownFiles(root, rel));
    } else if (e.isFile() && e.name.endsWith('.md')) out.push(rel);
  }
  return out.sort();
}

/** The text with fenced code blocks blanked (line numbers kept), so code is never read as links. */
export function withoutFences(text) {
  let fence = null;
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
        return '';
      }
      if (m) {
        fence = m[1];
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Inline code spans blanked: `[a](b)` inside backquotes is not a link. */
const withoutCode = (line) => line.replace(/(`+)[\s\S]*?\1/g, (s) => ' '.repeat(s.length));

/** Links of a Markdown text: [{ line, target }] for inline links, images, references and hrefs. */
export function links(text) {
  const out = [];
  withoutFences(text)
    .split('\n')
    .forEach((raw, i) => {
      const line = withoutCode(raw);
      const add = (target) => out.push({ line: i + 1, target: target.trim().replace(/^<(.*)>$/, '$1') });
      for (const m of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
      const ref = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
      if (ref) add(ref[1]);
      for (const m of line.matchAll(/<a\s[^>]*href="([^"]+)"/g)) add(m[1]);
    });
  return out;
}

/** True for a link that leaves the repository (a URL with a scheme, or protocol-relative). */
export const isExternal = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * GitHub's anchor for a heading: the rendered text lowercased, every character that is not a
 * letter, mark, number, connector (`_`), space or hyphen removed, spaces turned into hyphens.
 */
export function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link renders as its text
    .replace(/<[^>]+>/g, '') // inline HTML renders as nothing
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown text defines: heading slugs (repeats get -1, -2 …) and id/name attributes. */
export function anchors(text) {
  const seen = new Map();
  const out = new Set();
  for (const line of withoutFences(text).split('\n')) {
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n ? `${base}-${n}` : base);
    }
    for (const m of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) out.add(m[1]);
  }
  return out;
}

/**
 * The fenced code block that follows `<!-- tested: NAME -->` in a Markdown text. Throws when
 * the marker is missing or not directly followed by a fence, so a test cannot pass on nothing.
 */
export function taggedBlock(text, name) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === `<!-- tested: ${name} -->`);
  if (at < 0) throw new Error(`no <!-- tested: ${name} --> marker`);
  const open = /^(`{3,})\w*\s*$/.exec(lines[at + 1] ?? '');
  if (!open) throw new Error(`the line after <!-- tested: ${name} --> is not a code fence`);
  const end = lines.findIndex((l, i) => i > at + 1 && l.trim() === open[1]);
  if (end < 0) throw new Error(`the block after <!-- tested: ${name} --> is not closed`);
  return lines.slice(at + 2, end).join('\n');
}

export const read = (path) => readFileSync(path, 'utf8');
