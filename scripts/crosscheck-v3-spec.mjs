#!/usr/bin/env node
// Cross-checks spec/v3.json against the models WeChat Pay generates for its official SDKs,
// wechatpay-go (`services/**`: request and answer structs, json tags; a request field without
// `omitempty` is required, its MarshalJSON refuses the struct without it) and wechatpay-java
// (`service/**/model`: `@SerializedName` fields, `@Encryption` on the fields carried encrypted,
// `@Expose(serialize = false)` on the path and query fields kept out of the body). For every endpoint
// the spec and an SDK both have: field names, required flags (Go only: Java's models carry none), types,
// enums and the encrypted mark (Java only), of the body, the query and the answer.
//
// Runs by hand only, NOT in CI or make test: it needs clones of the two SDKs, which are not in this
// repository. Its output is data committed in docs/reference/v3-spec-crosscheck.md:
//
//   git clone --bare https://github.com/wechatpay-apiv3/wechatpay-go /tmp/wechatpay-go.git
//   git clone --bare https://github.com/wechatpay-apiv3/wechatpay-java /tmp/wechatpay-java.git
//   node scripts/crosscheck-v3-spec.mjs /tmp/wechatpay-go.git /tmp/wechatpay-java.git > docs/reference/v3-spec-crosscheck.md
//
// The files are read with `git cat-file` at each repository's HEAD (no checkout needed).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const GO_REPO = 'https://github.com/wechatpay-apiv3/wechatpay-go';
const JAVA_REPO = 'https://github.com/wechatpay-apiv3/wechatpay-java';
const JAVA_ROOT = 'service/src/main/java/com/wechat/pay/java/service/';

/** The files of a repository's HEAD under `dir` whose name passes `keep`: { path: text }, and the commit. */
function readTree(gitDir, dir, keep) {
  const git = (args, input) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { input, maxBuffer: 1 << 30 });
  const commit = git(['rev-parse', 'HEAD']).toString().trim();
  const names = git(['ls-tree', '-r', '-z', '--name-only', commit, dir])
    .toString()
    .split('\0')
    .filter((n) => n && keep(n));
  const out = git(['cat-file', '--batch'], names.map((n) => `${commit}:${n}\n`).join(''));
  const files = {};
  let pos = 0;
  for (const name of names) {
    const nl = out.indexOf(10, pos);
    const size = Number(out.subarray(pos, nl).toString().split(' ')[2]);
    files[name] = out.subarray(nl + 1, nl + 1 + size).toString();
    pos = nl + 1 + size + 1;
  }
  return { commit, files };
}

// ---------------------------------------------------------------- a common model of SDK types

/**
 * A type of an SDK model: `{ kind: 'string'|'integer'|'number'|'boolean'|'any' }`,
 * `{ kind: 'enum', values }`, `{ kind: 'array', items }` or `{ kind: 'object', name, fields }`,
 * fields being `[{ name, type, required?, sensitive?, body? }]` (types resolved lazily by `type()`).
 */
const SCALARS = {
  string: 'string',
  bool: 'boolean',
  int: 'integer',
  int32: 'integer',
  int64: 'integer',
  uint64: 'integer',
  float32: 'number',
  float64: 'number',
  'time.Time': 'string',
  'interface{}': 'any',
  String: 'string',
  Boolean: 'boolean',
  Integer: 'integer',
  Long: 'integer',
  Float: 'number',
  Double: 'number',
  BigDecimal: 'number',
  Object: 'any',
  JsonObject: 'any',
};

// ---------------------------------------------------------------- wechatpay-go

/** Structs and string enums of every Go package: { dir: { structs: {Name: fields}, enums: {Name: values} } }. */
function goModels(files) {
  const pkgs = {};
  for (const [path, text] of Object.entries(files)) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    pkgs[dir] ??= { structs: {}, enums: {}, aliases: {}, files: {} };
    const pkg = pkgs[dir];
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      pkg.files[m[1]] = path;
      pkg.structs[m[1]] = [...m[2].matchAll(/^\t(\w+)\s+(\S+)\s+`json:"([^"]+)"`/gm)].map(([, , type, tag]) => {
        const [name, ...opts] = tag.split(',');
        return { name, go: type, required: !opts.includes('omitempty') };
      });
    }
    for (const m of text.matchAll(/^type (\w+) (string|int64|int32|float64|bool)$/gm)) {
      if (m[2] === 'string') {
        const values = [...text.matchAll(new RegExp(`^\\t\\w+\\s+${m[1]} = "([^"]*)"`, 'gm'))].map((v) => v[1]);
        pkg.enums[m[1]] = values;
      } else pkg.aliases[m[1]] = m[2];
    }
  }
  return pkgs;
}

/** A Go type string in package `dir` as an SDK type. */
function goType(pkgs, dir, go) {
  const t = go.replace(/^\*/, '');
  if (t.startsWith('[]')) return { kind: 'array', items: goType(pkgs, dir, t.slice(2)) };
  if (t.startsWith('map[')) return { kind: 'any' };
  if (SCALARS[t]) return { kind: SCALARS[t] };
  let [pdir, name] = [dir, t];
  if (t.includes('.')) {
    const [pkgName, typeName] = t.split('.');
    pdir = Object.keys(pkgs).find((d) => d.endsWith(`/${pkgName}`)) ?? dir;
    name = typeName;
  }
  const pkg = pkgs[pdir];
  if (pkg?.enums[name]) return { kind: 'enum', values: pkg.enums[name] };
  if (pkg?.aliases[name]) return { kind: SCALARS[pkg.aliases[name]] };
  const fields = pkg?.structs[name];
  if (!fields) return { kind: 'any' };
  return {
    kind: 'object',
    name,
    file: pkg.files[name],
    fields: fields.map((f) => ({ name: f.name, required: f.required, type: () => goType(pkgs, pdir, f.go) })),
  };
}

/** The operations of wechatpay-go: [{ method, path, sdkName, body, answer, query }]. */
function goOperations(files, pkgs) {
  const ops = [];
  for (const [path, text] of Object.entries(files)) {
    if (!/\/api_[^/]+\.go$/.test(path)) continue;
    const dir = path.slice(0, path.lastIndexOf('/'));
    for (const chunk of text.split(/\nfunc \(a \*\w+\) /).slice(1)) {
      const url = /localVarPath := consts\.\w+ \+ "([^"]+)"/.exec(chunk);
      const method = /nethttp\.Method(\w+)/.exec(chunk);
      if (!url || !method) continue;
      const name = /^(\w+)/.exec(chunk)[1];
      const req = /req (\w+)\)/.exec(chunk)?.[1];
      const resp = /resp \*([\w.]+)/.exec(chunk)?.[1];
      const bodyName = /localVarPostBody = req\b/.test(chunk) ? req : /localVarPostBody = &(\w+)\{/.exec(chunk)?.[1];
      const outside = new Set([
        ...[...chunk.matchAll(/"\{"\+"(\w+)"\+"\}"/g)].map((m) => m[1]),
        ...[...chunk.matchAll(/localVarQueryParams\.Add\("(\w+)"/g)].map((m) => m[1]),
      ]);
      const query = [...chunk.matchAll(/localVarQueryParams\.Add\("(\w+)"/g)].map((m) => m[1]);
      const reqType = req ? goType(pkgs, dir, req) : null;
      const queryFields = query.map(
        (q) => reqType?.fields?.find((f) => f.name === q) ?? { name: q, type: () => ({ kind: 'any' }) },
      );
      let body = bodyName ? goType(pkgs, dir, bodyName) : null;
      if (body?.kind === 'object') body = { ...body, fields: body.fields.filter((f) => !outside.has(f.name)) };
      ops.push({
        method: method[1].toUpperCase(),
        path: url[1],
        sdkName: `${path.replace(/^services\//, '')} ${name}`,
        body,
        answer: resp ? goType(pkgs, dir, resp) : null,
        query: { kind: 'object', name: 'query', fields: queryFields },
      });
    }
  }
  return ops;
}

// ---------------------------------------------------------------- wechatpay-java

/** Classes and enums of every Java model: { 'dir/Name': { fields } | { values } }, and imports by file. */
function javaModels(files) {
  const types = {};
  for (const [path, text] of Object.entries(files)) {
    const key = path.replace(/\.java$/, '');
    const en = /^public enum (\w+)/m.exec(text);
    if (en) {
      types[key] = { values: [...text.matchAll(/@SerializedName\("([^"]*)"\)\s*\n\s*\w+/g)].map((m) => m[1]) };
      continue;
    }
    if (!/^public class (\w+)/m.test(text)) continue;
    const fields = [];
    const re = /@SerializedName\("(\w+)"\)\s*\n((?:\s*@\w+(?:\([^)]*\))?\s*\n)*)\s*private ([\w<>, .]+) \w+;/g;
    for (const m of text.matchAll(re)) {
      fields.push({
        name: m[1],
        java: m[3].trim(),
        sensitive: /@Encryption\b/.test(m[2]),
        body: !/@Expose\(serialize = false\)/.test(m[2]),
      });
    }
    types[key] = { fields, imports: javaImports(text) };
  }
  return types;
}

/** `import com.wechat.pay.java.service.x.model.Y;` → { Y: 'service/…/x/model/Y' }. */
function javaImports(text) {
  const out = {};
  for (const m of text.matchAll(/^import com\.wechat\.pay\.java\.service\.([\w.]+)\.(\w+);/gm))
    out[m[2]] = `${JAVA_ROOT}${m[1].replaceAll('.', '/')}/${m[2]}`;
  return out;
}

/** A Java type name, seen from the file `from` (its dir and imports), as an SDK type. */
function javaType(types, from, java) {
  const list = /^List<(.+)>$/.exec(java);
  if (list) return { kind: 'array', items: javaType(types, from, list[1]) };
  if (/^Map</.test(java)) return { kind: 'any' };
  if (SCALARS[java]) return { kind: SCALARS[java] };
  const dir = from.slice(0, from.lastIndexOf('/'));
  const key = [`${dir}/${java}`, `${dir}/model/${java}`, types[from]?.imports?.[java]].find((k) => k && types[k]);
  const t = types[key];
  if (!t) return { kind: 'any' };
  if (t.values) return { kind: 'enum', values: t.values };
  return {
    kind: 'object',
    name: java,
    file: `${key}.java`,
    fields: t.fields.map((f) => ({ ...f, type: () => javaType(types, key, f.java) })),
  };
}

/** The operations of wechatpay-java's services: [{ method, path, sdkName, body, answer, query }]. */
function javaOperations(files, types) {
  const ops = [];
  for (const [path, text] of Object.entries(files)) {
    if (!path.endsWith('Service.java')) continue;
    const from = path.replace(/\.java$/, '');
    const withImports = { ...types, [from]: { imports: javaImports(text) } };
    for (const chunk of text.split(/\n {2}public /).slice(1)) {
      const url = /requestPath =\s*"https:\/\/api\.mch\.weixin\.qq\.com(\/v3\/[^"?]+)"/.exec(chunk);
      const method = /HttpMethod\.(\w+)/.exec(chunk);
      const sig = /^(\w+) (\w+)\(\s*(\w+) \w+\)/.exec(chunk);
      if (!url || !method || !sig) continue;
      const req = javaType(withImports, from, sig[3]);
      const resp = /execute\(\w+, (\w+)\.class\)/.exec(chunk)?.[1];
      const query = [...chunk.matchAll(/queryParameter\.add\("(\w+)"/g)].map((m) => m[1]);
      const hasBody = /\.body\(createRequestBody\(/.test(chunk);
      const fields = req.kind === 'object' ? req.fields : [];
      ops.push({
        method: method[1],
        path: url[1],
        sdkName: `${path.slice(JAVA_ROOT.length)} ${sig[2]}`,
        body: hasBody && req.kind === 'object' ? { ...req, fields: fields.filter((f) => f.body) } : null,
        answer: resp ? javaType(withImports, from, resp) : null,
        query: { kind: 'object', name: 'query', fields: fields.filter((f) => query.includes(f.name)) },
      });
    }
  }
  return ops;
}

// ---------------------------------------------------------------- the spec side

/** A spec schema with `$ref` resolved and `allOf`/`oneOf`/`anyOf` merged: { type, enum, properties, required, items, sensitive }. */
function flatten(spec, schema) {
  if (!schema || typeof schema !== 'object') return null;
  if (schema.$ref) return flatten(spec, spec.definitions[schema.$ref.slice('#/definitions/'.length)]);
  const parts = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((s) =>
    flatten(spec, s),
  );
  const listed = schema['x-is-sensitive'];
  const out = {
    type: schema.type ?? parts.find((p) => p?.type)?.type,
    enum: schema.enum,
    format: schema.format,
    items: schema.items,
    properties: { ...schema.properties },
    required: new Set([
      ...(schema.required ?? []),
      ...parts.flatMap((p) => (schema.allOf?.length ? [...(p?.required ?? [])] : [])),
    ]),
    sensitive: new Set(Array.isArray(listed) ? listed : listed ? [listed] : []),
  };
  // A field two parts both define is both schemas at once (as TypeScript intersects them).
  for (const p of parts)
    for (const [name, prop] of Object.entries(p?.properties ?? {}))
      out.properties[name] = out.properties[name] ? { allOf: [out.properties[name], prop] } : prop;
  for (const p of parts) for (const s of p?.sensitive ?? []) out.sensitive.add(s);
  for (const [name, prop] of Object.entries(out.properties)) if (prop?.format === 'base64') out.sensitive.add(name);
  if (!out.type && Object.keys(out.properties).length) out.type = 'object';
  return out;
}

const specKind = (s) => (s?.enum ? 'enum' : s?.type === 'file' ? 'string' : s?.type);
const sameKind = (a, b) => a === b || (a === 'enum' && b === 'string') || (a === 'string' && b === 'enum');

// ---------------------------------------------------------------- the comparison

/** Compares a spec schema and an SDK type; pushes mismatches; returns the number of fields compared. */
function compare(ctx, specSchema, sdk, where, depth = 0) {
  const s = flatten(ctx.spec, specSchema);
  if (!s || !sdk || sdk.kind === 'any' || depth > 8) return 0;
  const kind = specKind(s);
  if (sdk.kind === 'array' && kind === 'array') return compare(ctx, s.items, sdk.items, `${where}[]`, depth + 1);
  if (sdk.kind === 'object' && (kind === 'object' || Object.keys(s.properties).length))
    return compareObject(ctx, s, sdk, where, depth);
  if (!kind) return 0;
  if (!sameKind(kind, sdk.kind === 'enum' ? 'enum' : sdk.kind)) {
    if (!(kind === 'enum' && s.type === sdk.kind))
      ctx.report(where, 'type', kind === 'enum' ? s.type : kind, sdk.kind === 'enum' ? 'string (enum)' : sdk.kind);
    return 0;
  }
  if (sdk.kind === 'enum' && sdk.values.length) {
    if (!s.enum) ctx.report(where, 'enum', 'no enum', sdk.values.join(' '));
    else {
      const onlySdk = sdk.values.filter((v) => !s.enum.map(String).includes(v));
      if (onlySdk.length) ctx.report(where, 'enum values', s.enum.join(' '), sdk.values.join(' '));
    }
  }
  return 0;
}

function compareObject(ctx, s, sdk, where, depth) {
  let compared = 0;
  const at = (name) => (where ? `${where}.${name}` : name);
  for (const f of sdk.fields) {
    const prop = s.properties[f.name];
    if (!prop) {
      ctx.report(at(f.name), 'field', 'absent', 'present', { type: f.type(), file: sdk.file });
      continue;
    }
    compared += 1;
    ctx.fields.add(`${ctx.endpoint} ${ctx.side} ${at(f.name)}`);
    if (ctx.requiredFrom && f.required !== undefined) {
      const specRequired = s.required.has(f.name);
      if (f.required && !specRequired) ctx.report(at(f.name), 'required', 'optional', 'required');
      if (!f.required && specRequired && ctx.side === 'request')
        ctx.report(at(f.name), 'required', 'required', 'optional');
    }
    if (f.sensitive !== undefined && f.sensitive !== s.sensitive.has(f.name))
      ctx.report(
        at(f.name),
        'encrypted',
        s.sensitive.has(f.name) ? 'marked' : 'not marked',
        f.sensitive ? '@Encryption' : 'no @Encryption',
      );
    compared += compare(ctx, prop, f.type(), at(f.name), depth + 1);
  }
  const names = new Set(sdk.fields.map((f) => f.name));
  for (const name of Object.keys(s.properties))
    if (!names.has(name)) ctx.report(at(name), 'field', 'present', 'absent');
  return compared;
}

/** The spec's operation for an SDK's method and path (parameter names may differ), or null. */
function specOperation(spec, method, path) {
  const shape = (p) => p.replace(/\{[^}]+\}/g, '{}');
  const key = Object.keys(spec.paths).find((p) => shape(p) === shape(path) && spec.paths[p][method]);
  return key ? { key, op: spec.paths[key][method] } : null;
}

/** Every mismatch of one SDK's operations against the spec. */
function crossCheck(spec, sdk, ops) {
  const rows = [];
  const endpoints = new Set();
  const fields = new Set();
  for (const o of ops) {
    const found = specOperation(spec, o.method, o.path);
    if (!found) continue;
    endpoints.add(`${o.method} ${found.key}`);
    const base = { endpoint: `${o.method} ${found.key}`, sdk, sdkName: o.sdkName };
    const ctx = (side) => ({
      spec,
      side,
      fields,
      endpoint: base.endpoint,
      requiredFrom: sdk === 'go',
      report: (field, what, specSays, sdkSays, added) =>
        rows.push({ ...base, side, field, what, specSays, sdkSays, ...(added ? { added } : {}) }),
    });
    const answer = found.op.responses['200'] ?? found.op.responses['202'];
    if (o.body && found.op.body) compare(ctx('request'), found.op.body, o.body, '');
    if (o.query.fields.length || found.op.parameters?.query)
      compare(ctx('query'), found.op.parameters?.query ?? { type: 'object', properties: {} }, o.query, '');
    if (o.answer && answer) compare(ctx('answer'), answer, o.answer, '');
  }
  return { rows: dedupe(rows), endpoints, fields: fields.size };
}

/** One row per endpoint and finding: the SDK methods that share an endpoint (app, h5, jsapi, native…) listed together. */
function dedupe(rows) {
  const byKey = new Map();
  for (const r of rows) {
    const key = [r.endpoint, r.side, r.field, r.what, r.specSays, r.sdkSays].join('\0');
    const seen = byKey.get(key);
    if (seen) seen.sdkNames.push(r.sdkName);
    else byKey.set(key, { ...r, sdkNames: [r.sdkName] });
  }
  return [...byKey.values()].map((r) => ({ ...r, sdkName: r.sdkNames.join(', ') }));
}

// ---------------------------------------------------------------- the fields only the SDKs have, as data

/** Deepest nesting of an added field's schema; below it (or on a cycle) an object stays permissive. */
const ADDED_DEPTH = 6;
/** An object the SDK has no model for (a map, `interface{}`, `JsonObject`): any keys. */
const PERMISSIVE = { type: 'object', additionalProperties: true };

/** An SDK type as a spec schema of an added field: every field optional, enums as plain strings. */
function sdkSchema(t, depth = 0, seen = new Set()) {
  if (t.kind === 'enum') return { type: 'string' };
  if (t.kind === 'array') return { type: 'array', items: sdkSchema(t.items, depth + 1, seen) };
  if (t.kind !== 'object') return t.kind === 'any' ? PERMISSIVE : { type: t.kind };
  if (depth >= ADDED_DEPTH || seen.has(t.name)) return PERMISSIVE;
  const inner = new Set([...seen, t.name]);
  const properties = {};
  for (const f of t.fields) properties[f.name] = sdkSchema(f.type(), depth + 1, inner);
  return { type: 'object', properties };
}

/**
 * The fields only an SDK has (trusted: the SDK), one per endpoint, side and field (wechatpay-go's first,
 * wechatpay-java's where Go lacks it), each with the SDK file of the model that declares it: the data
 * spec/v3-sdk-fields.json that scripts/derive-v3-spec.mjs adds to spec/v3.json as optional fields.
 */
function sdkFields(specFile, go, java, results) {
  const rows = [...results.go.rows, ...results.java.rows].filter((r) => r.added);
  const seen = new Set();
  const lines = [];
  for (const r of rows) {
    const key = `${r.endpoint} ${r.side} ${r.field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [method, path] = r.endpoint.split(' ');
    const entry = { method, path, side: r.side, field: r.field, sdk: r.sdk, source: r.added.file ?? null };
    lines.push(JSON.stringify({ ...entry, schema: sdkSchema(r.added.type) }));
  }
  const header = {
    about: 'Fields only the official SDKs have (written by scripts/crosscheck-v3-spec.mjs; see spec/NOTICE.md)',
    spec: `${specFile} without these fields`,
    go: { repository: GO_REPO, commit: go.commit },
    java: { repository: JAVA_REPO, commit: java.commit },
  };
  return `{\n"source":${JSON.stringify(header)},\n"fields":[\n${lines.join(',\n')}\n]\n}\n`;
}

// ---------------------------------------------------------------- the verdicts and the document

/** Which source to trust for a mismatch, and why (the rules of docs/reference/v3-spec-crosscheck.md). */
export function verdict(row) {
  if (row.what === 'field' && row.sdkSays === 'absent')
    return ['spec', 'the SDK models were generated earlier; the spec is newer (x-last-updated-at)'];
  if (row.what === 'field') return ['SDK', 'WeChat generates the SDK models; the spec lacks the field'];
  if (row.what === 'required' && row.sdkSays === 'required')
    return ['SDK', 'the Go SDK refuses to send the request without it (MarshalJSON)'];
  if (row.what === 'required') return ['spec', 'Go models are looser than the API (the field is only omitempty)'];
  if (row.what === 'type') return ['SDK', "the SDK's type is what WeChat's own definitions say"];
  if (row.what === 'enum') return ['SDK', 'the SDK names the values; the spec only says string'];
  if (row.what === 'enum values') return ['SDK', 'the SDK has values the spec lacks'];
  if (row.what === 'encrypted' && row.sdkSays === '@Encryption')
    return ['SDK', 'the Java SDK encrypts the field before sending'];
  return ['spec', 'the Java SDK marks fewer fields than WeChat encrypts'];
}

const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');

function render(spec, go, java, results) {
  const repaired = readFileSync(`${root}spec/v3-repairs.md`, 'utf8')
    .split('\n')
    .filter((l) => /wechatpay-go/.test(l));
  const all = [...results.go.rows, ...results.java.rows];
  const endpoints = new Set([...results.go.endpoints, ...results.java.endpoints]);
  const both = [...results.go.endpoints].filter((e) => results.java.endpoints.has(e)).length;
  const byKind = {};
  for (const r of all) byKind[kindOf(r)] = (byKind[kindOf(r)] ?? 0) + 1;
  const lines = [
    "# spec/v3.json cross-checked against the official SDKs' models",
    '',
    'Generated by `scripts/crosscheck-v3-spec.mjs` (run by hand; it needs clones of the SDKs): do not edit.',
    `Spec: \`spec/v3.json\` (from ${spec.source.repository} at ${spec.source.commit.slice(0, 7)}, with the repairs of`,
    '`spec/v3-repairs.md`).',
    `wechatpay-go: ${GO_REPO} at ${go.commit}; wechatpay-java: ${JAVA_REPO} at ${java.commit}.`,
    '',
    '## Counts',
    '',
    '| | wechatpay-go | wechatpay-java | together |',
    '| --- | --- | --- | --- |',
    `| SDK operations read | ${results.go.ops} | ${results.java.ops} | |`,
    `| endpoints compared (in the spec and the SDK) | ${results.go.endpoints.size} | ${results.java.endpoints.size} | ${endpoints.size} (${both} in both SDKs) |`,
    `| fields compared | ${results.go.fields} | ${results.java.fields} | ${results.go.fields + results.java.fields} |`,
    `| mismatches | ${results.go.rows.length} | ${results.java.rows.length} | ${all.length} |`,
    '',
    '| kind of mismatch | count | trusted |',
    '| --- | --- | --- |',
    ...Object.entries(byKind)
      .sort()
      .map(([k, n]) => `| ${k} | ${n} | ${verdict(all.find((r) => kindOf(r) === k))[0]} |`),
    '',
    ...RULES,
    '',
    '## Repaired in spec/v3.json',
    '',
    'These defects of the source are repaired by `scripts/derive-v3-spec.mjs` (`SDK_REPAIRS`), so they no',
    'longer appear among the mismatches below:',
    '',
    ...repaired,
    '',
    ...addedSection(),
    '## Mismatches',
    '',
    "Side: `request` (the JSON body), `query`, `answer` (the 2xx JSON). Field paths are dotted; `[]` is an array's item.",
    '',
    '| endpoint | SDK (file, method) | side | field | what | spec | SDK | trusted | why |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...all.map((r) => {
      const [who, why] = verdict(r);
      return `| \`${r.endpoint}\` | ${r.sdk} \`${cell(r.sdkName)}\` | ${r.side} | \`${cell(r.field)}\` | ${r.what} | ${cell(r.specSays)} | ${cell(r.sdkSays)} | ${who} | ${why} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** What spec/v3-sdk-fields.json added to spec/v3.json, counted from the derivation's log (spec/v3-repairs.md). */
function addedSection() {
  const { fields } = JSON.parse(readFileSync(`${root}spec/v3-sdk-fields.json`, 'utf8'));
  const log = readFileSync(`${root}spec/v3-repairs.md`, 'utf8')
    .split('\n')
    .filter((l) => / only in the SDK/.test(l));
  const count = (re) => log.filter((l) => re.test(l)).length;
  const sides = ['request', 'query', 'answer'].map((side) => `${fields.filter((f) => f.side === side).length} ${side}`);
  return [
    '## Added to spec/v3.json: the fields only the SDKs have',
    '',
    `The mismatches "field only in the SDK" (trusted: the SDK) of the spec without them: ${fields.length} fields of`,
    `endpoints (${sides.join(', ')}), listed with the SDK model that declares each in \`spec/v3-sdk-fields.json\``,
    '(written by this script with `--sdk-fields` from the spec derived with `--no-sdk-fields`) and added by',
    `\`scripts/derive-v3-spec.mjs\`: ${count(/; added, optional/)} added, ${count(/in a definition added to above/)} already there through a shared definition`,
    `added to by an earlier entry, ${count(/; not added/)} not added (\`spec/v3-repairs.md\` says why). Each is OPTIONAL,`,
    "typed from the SDK (a nested object as the SDK's model, an enum as a plain string, a map or untyped value as",
    'an object of any keys); nothing became required and no field the spec had changed type. So some of the',
    'added fields now show below as "required by the SDK only" or "enum in the SDK, a plain string in the',
    'spec", and a field added to a definition that other endpoints share shows as "field only in the spec"',
    "where those endpoints' SDK models lack it.",
    '',
  ];
}

/** The kind of a mismatch, for the summary table. */
function kindOf(r) {
  if (r.what === 'field') return r.sdkSays === 'present' ? 'field only in the SDK' : 'field only in the spec';
  if (r.what === 'required') return r.sdkSays === 'required' ? 'required by the SDK only' : 'required by the spec only';
  if (r.what === 'type') return 'type differs';
  if (r.what === 'enum') return 'enum in the SDK, a plain string in the spec';
  if (r.what === 'enum values') return 'enum values only the SDK has';
  return 'encrypted mark differs';
}

const RULES = [
  '## Which source is trusted, and why',
  '',
  '- A field only the SDK has: the SDK (WeChat generates those models from its own definitions). A field',
  "  only the spec has: the spec (the SDKs' models date from their last generation; the spec is newer, and",
  '  most such fields were added to the API since).',
  '- Required: the Go SDK, where it requires a request field (its `MarshalJSON` refuses the request without',
  '  it); the spec, where Go leaves a field optional (Go pointers are `omitempty` more often than the API',
  '  allows; answers are not compared this way, Go answers being all optional). Java models carry no',
  '  required flag.',
  '- Types and enums: the SDK (both SDKs type amounts as integers of fen; the spec sometimes says `number`).',
  '- Encrypted fields: the Java SDK where it has `@Encryption` and the spec has no mark; the spec where it',
  '  marks a field the Java model leaves plain (Java marks only some of the fields WeChat encrypts).',
  '- "Trusted" says which source we believe, not that `spec/v3.json` was changed: the mismatches below are',
  '  kept as the source has them. Repaired (next section) are only defects on the products this package',
  '  has helpers for, where an SDK is clearly right and a wrong type would mislead a user; and the fields',
  '  only an SDK had are added as optional fields (the section after it).',
];

function main() {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? null : args.splice(i, 2)[1];
  };
  const specFile = option('--spec') ?? `${root}spec/v3.json`;
  const fieldsOut = option('--sdk-fields');
  const [goDir, javaDir] = args;
  if (!goDir || !javaDir) {
    console.error(
      'usage: node scripts/crosscheck-v3-spec.mjs [--spec file] [--sdk-fields out.json] <wechatpay-go git dir> <wechatpay-java git dir>',
    );
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(specFile, 'utf8'));
  const go = readTree(goDir, 'services', (n) => n.endsWith('.go') && !n.endsWith('_test.go'));
  const java = readTree(javaDir, JAVA_ROOT, (n) => n.endsWith('.java'));
  const goOps = goOperations(go.files, goModels(go.files));
  const javaOps = javaOperations(java.files, javaModels(java.files));
  const results = {
    go: { ...crossCheck(spec, 'go', goOps), ops: goOps.length },
    java: { ...crossCheck(spec, 'java', javaOps), ops: javaOps.length },
  };
  if (fieldsOut) writeFileSync(fieldsOut, sdkFields('spec/v3.json', go, java, results));
  else process.stdout.write(render(spec, go, java, results));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
