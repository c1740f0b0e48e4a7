#!/usr/bin/env node
// Derives spec/v3.json, the compact structure of the WeChat Pay v3 API, from the community Swagger 2.0
// spec TheNorthMemory/wechatpay-openapi (MIT). Structure only: paths, methods, parameters, bodies, 2xx
// answers, and per field its type, format, enum, required flag, lengths and the x- marks that are data;
// descriptions, titles, summaries and examples (the authors' words) are dropped. See spec/NOTICE.md.
//
// Usage: node scripts/derive-v3-spec.mjs <git-dir of a wechatpay-openapi clone> [commit] [out]
// Runs by hand only: the source is not in this repository, so no test or CI job runs this script.
// The YAML is read by Python's PyYAML (no YAML parser among our npm dependencies) with YAML 1.2 core
// scalars, so an enum value such as ON, NO or 10:30 stays the string it is in the source.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = 'https://github.com/TheNorthMemory/wechatpay-openapi';
const DEFAULT_COMMIT = '4d6325b09af308025ba7677ead284feeea2680ba';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const PARAM_PLACES = ['path', 'query', 'header', 'formData'];
/** Schema keys copied as they are (data, not prose). */
const SCALAR_KEYS = [
  'type',
  'format',
  'enum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maximum',
  'minimum',
  'pattern',
  'x-last-updated-at',
  'x-is-sensitive',
  'x-key',
  'nullable',
];
/** Schema keys dropped on purpose: prose, or marks of the source's own tooling. */
const DROPPED_KEYS = new Set(['description', 'title', 'example', 'x-role', 'x-cdata', 'default']);

const LOADER = String.raw`
import json, re, subprocess, sys, yaml
git_dir, commit = sys.argv[1], sys.argv[2]
class L(yaml.SafeLoader):
    pass
L.yaml_implicit_resolvers = {}
for tag, rx, first in [
    ('tag:yaml.org,2002:bool', r'^(?:true|True|TRUE|false|False|FALSE)$', 'tTfF'),
    ('tag:yaml.org,2002:int', r'^[-+]?[0-9]+$', '-+0123456789'),
    ('tag:yaml.org,2002:float', r'^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$', '-+.0123456789'),
    ('tag:yaml.org,2002:null', r'^(?:~|null|Null|NULL|)$', ['~', 'n', 'N', '']),
    ('tag:yaml.org,2002:merge', r'^<<$', '<'),
]:
    L.add_implicit_resolver(tag, re.compile(rx), list(first))
git = ['git', '--git-dir=' + git_dir]
names = subprocess.run(git + ['ls-tree', '-r', '-z', '--name-only', commit, 'docs'], check=True, capture_output=True).stdout.decode().split('\0')
names = [n for n in names if n.endswith('.yaml')]
out = subprocess.run(git + ['cat-file', '--batch'], input=''.join(commit + ':' + n + '\n' for n in names).encode(), check=True, capture_output=True).stdout
docs, pos = {}, 0
for n in names:
    nl = out.index(b'\n', pos)
    size = int(out[pos:nl].split()[2])
    docs[n[len('docs/'):]] = yaml.load(out[nl + 1:nl + 1 + size].decode(), Loader=L)
    pos = nl + 1 + size + 1
json.dump(docs, sys.stdout, ensure_ascii=False)
`;

function loadDocs(gitDir, commit) {
  const json = execFileSync('python3', ['-c', LOADER, gitDir, commit], { maxBuffer: 1 << 30 });
  return JSON.parse(json.toString('utf8'));
}

/** Turns the source's `$ref` (file#Key, file#/Key or #Key) into the file it names and the top-level key. */
function refTarget(ref, fromFile) {
  const [file, fragment = ''] = ref.split('#');
  const target = file === '' ? fromFile : posix.normalize(posix.join(posix.dirname(fromFile), file));
  return { file: target, key: fragment.replace(/^\//, '') };
}

function defName(file, key) {
  const base = file.startsWith('definitions/') ? file.slice('definitions/'.length) : file;
  return `${base.replace(/\.yaml$/, '').replaceAll('/', '.')}.${key}`;
}

class Deriver {
  constructor(docs) {
    this.docs = docs;
    this.definitions = {};
    this.unknownKeys = new Map();
  }

  lookup(ref, fromFile) {
    const { file, key } = refTarget(ref, fromFile);
    const node = this.docs[file]?.[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref} in ${fromFile}`);
    return { file, key, node };
  }

  /** A `$ref` to a schema becomes a shared definition, derived once (a placeholder guards cycles). */
  ref(ref, fromFile) {
    const { file, key, node } = this.lookup(ref, fromFile);
    const name = defName(file, key);
    if (!(name in this.definitions)) {
      this.definitions[name] = null;
      this.definitions[name] = this.schema(node, file);
    }
    return { $ref: `#/definitions/${name}` };
  }

  schema(node, file) {
    if (node === null || typeof node !== 'object') return {};
    if (node.$ref) return this.ref(node.$ref, file);
    const out = {};
    for (const key of SCALAR_KEYS) if (node[key] !== undefined) out[key] = node[key];
    if (Array.isArray(node.required)) out.required = [...node.required];
    if (node.properties) {
      out.properties = {};
      for (const [name, prop] of Object.entries(node.properties)) out.properties[name] = this.schema(prop, file);
    }
    if (node.items) out.items = this.schema(node.items, file);
    if (node['x-json']) out['x-json'] = this.schema(node['x-json'], file);
    if (node.additionalProperties !== undefined) {
      const extra = node.additionalProperties;
      out.additionalProperties = typeof extra === 'object' ? this.schema(extra, file) : extra;
    }
    for (const combo of ['allOf', 'oneOf', 'anyOf']) {
      if (Array.isArray(node[combo])) out[combo] = node[combo].map((part) => this.schema(part, file));
    }
    this.noteUnknown(node, file, ['required', 'properties', 'items', 'x-json', 'additionalProperties', 'allOf']);
    return out;
  }

  noteUnknown(node, file, handled) {
    for (const key of Object.keys(node)) {
      if (SCALAR_KEYS.includes(key) || handled.includes(key) || DROPPED_KEYS.has(key)) continue;
      if (key === '$ref' || key === 'oneOf' || key === 'anyOf') continue;
      this.unknownKeys.set(`${file}: ${key}`, (this.unknownKeys.get(`${file}: ${key}`) ?? 0) + 1);
    }
  }

  /** Non-body parameters grouped by place into object schemas; the body parameter's schema as `body`. */
  parameters(list, file, op) {
    const places = {};
    for (const raw of list ?? []) {
      const param = raw.$ref ? this.lookup(raw.$ref, file).node : raw;
      if (param.in === 'body') {
        op.body = this.schema(param.schema, file);
        continue;
      }
      if (!PARAM_PLACES.includes(param.in)) throw new Error(`parameter in ${param.in} in ${file}`);
      const place = places[param.in] ?? { type: 'object', properties: {}, required: [] };
      places[param.in] = place;
      // A form field's `schema` (the upload's `meta`) describes the JSON text it carries: kept as x-json.
      const { name, in: _in, required, schema, ...rest } = param;
      place.properties[name] = this.schema({ type: 'string', ...rest, ...(schema ? { 'x-json': schema } : {}) }, file);
      if (required === true || param.in === 'path') place.required.push(name);
    }
    for (const [where, place] of Object.entries(places)) {
      if (place.required.length === 0) delete place.required;
      op.parameters = { ...op.parameters, [where]: place };
    }
  }

  operation(node, pathItem, file) {
    const op = {};
    for (const key of ['x-last-updated-at', 'x-baseuri', 'consumes', 'produces']) {
      if (node[key] !== undefined) op[key] = node[key];
    }
    const byKey = new Map();
    for (const p of [...(pathItem.parameters ?? []), ...(node.parameters ?? [])]) {
      const resolved = p.$ref ? this.lookup(p.$ref, file).node : p;
      byKey.set(`${resolved.in}:${resolved.name}`, p);
    }
    this.parameters([...byKey.values()], file, op);
    op.responses = {};
    for (const [code, answer] of Object.entries(node.responses ?? {})) {
      if (!/^2\d\d$/.test(code)) continue;
      const resolved = answer?.$ref ? this.lookup(answer.$ref, file).node : answer;
      op.responses[code] = resolved?.schema ? this.schema(resolved.schema, file) : null;
    }
    return op;
  }
}

/** Follows `$ref`s to the definition they name. */
function resolver(spec) {
  return (schema) => {
    let s = schema;
    for (let hops = 0; s?.$ref && hops < 50; hops++) s = spec.definitions[s.$ref.slice('#/definitions/'.length)];
    return s;
  };
}

/** Fields an object schema names: its own properties and, through allOf/oneOf/anyOf, its parts'. */
function fieldNamer(spec) {
  const resolve = resolver(spec);
  const names = (schema, seen = new Set()) => {
    const s = resolve(schema);
    const out = new Set();
    if (!s || seen.has(s)) return out;
    seen.add(s);
    for (const name of Object.keys(s.properties ?? {})) out.add(name);
    for (const part of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
      for (const name of names(part, seen)) out.add(name);
    }
    return out;
  };
  return names;
}

/**
 * A path's {parameters} are the truth: one the source leaves undeclared is added (a required string),
 * one it declares but the path lacks (a typo, a copy from a sibling path) is removed.
 */
function repairPathParams(spec, log) {
  for (const path of Object.keys(spec.paths).sort()) {
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(spec.paths[path])) {
      const declared = op.parameters?.path?.properties ?? {};
      const missing = inPath.filter((name) => !(name in declared));
      const extra = Object.keys(declared).filter((name) => !inPath.includes(name));
      if (missing.length === 0 && extra.length === 0) continue;
      const properties = Object.fromEntries(inPath.map((name) => [name, declared[name] ?? { type: 'string' }]));
      const place = { type: 'object', properties, required: inPath };
      op.parameters = { ...op.parameters, path: place };
      if (inPath.length === 0) delete op.parameters.path;
      if (missing.length) log.push(`${method} ${path}: path parameter ${missing.join(', ')} undeclared; added`);
      if (extra.length) log.push(`${method} ${path}: path parameter ${extra.join(', ')} not in the path; removed`);
    }
  }
}

/**
 * A required name the schema has no field for is removed (a generated type would otherwise demand a
 * field of unknown type). The fields of the allOf a schema is part of count as its own.
 */
function repairRequired(spec, log) {
  const names = fieldNamer(spec);
  const inherited = new Map();
  const collect = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node.allOf)) {
      const all = names(node);
      for (const part of node.allOf) {
        if (!part.$ref) continue;
        const set = inherited.get(part.$ref) ?? new Set();
        for (const name of all) set.add(name);
        inherited.set(part.$ref, set);
      }
    }
    for (const value of Object.values(node)) collect(value);
  };
  collect(spec);
  const visit = (node, where, outer) => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, `${where}[${i}]`, new Set());
      return;
    }
    if (Array.isArray(node.required)) {
      const allowed = new Set([...names(node), ...outer]);
      const missing = node.required.filter((name) => !allowed.has(name));
      if (missing.length) log.push(`${where}: required ${missing.join(', ')} without such a field; removed`);
      node.required = node.required.filter((name) => allowed.has(name));
      if (node.required.length === 0) delete node.required;
    }
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'enum' || key === 'required') && Array.isArray(value)) continue;
      if (key === 'allOf' && Array.isArray(value)) {
        const all = new Set([...names(node), ...outer]);
        for (const [i, part] of value.entries()) visit(part, `${where}/allOf[${i}]`, all);
      } else visit(value, `${where}/${key}`, new Set());
    }
  };
  for (const name of Object.keys(spec.definitions).sort()) {
    visit(spec.definitions[name], `/definitions/${name}`, inherited.get(`#/definitions/${name}`) ?? new Set());
  }
  for (const path of Object.keys(spec.paths).sort()) visit(spec.paths[path], `/paths/${path}`, new Set());
}

// ---------------------------------------------------------------- repairs from the official SDKs

/** An order query's answer beside its owner and direction parts: what WeChat answers, not the order's request. */
const ORDER_ANSWER_PART = {
  type: 'object',
  properties: {
    amount: { type: 'object', properties: { currency: { type: 'string' }, total: { type: 'integer' } } },
    attach: { type: 'string' },
    out_trade_no: { type: 'string' },
    promotion_detail: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          amount: { type: 'integer' },
          coupon_id: { type: 'string' },
          currency: { type: 'string' },
          goods_detail: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                discount_amount: { type: 'integer' },
                goods_id: { type: 'string' },
                goods_remark: { type: 'string' },
                quantity: { type: 'integer' },
                unit_price: { type: 'integer' },
              },
              required: ['goods_id', 'quantity', 'unit_price', 'discount_amount'],
            },
          },
          merchant_contribute: { type: 'integer' },
          name: { type: 'string' },
          other_contribute: { type: 'integer' },
          scope: { type: 'string' },
          stock_id: { type: 'string' },
          type: { type: 'string' },
          wechatpay_contribute: { type: 'integer' },
        },
      },
    },
    scene_info: { type: 'object', properties: { device_id: { type: 'string' } } },
  },
  required: ['out_trade_no'],
};

const ref = (name) => ({ $ref: `#/definitions/${name}` });
/** The order query answers: the `Transaction.TransactionBase` part (the order's request) replaced. */
function orderAnswer(schema, extra = []) {
  const base = schema.allOf.findIndex((p) => p.$ref === ref('Transaction.TransactionBase').$ref);
  if (base < 0) throw new Error('order answer: no Transaction.TransactionBase part');
  schema.allOf.splice(base, 1, ORDER_ANSWER_PART, ...extra);
}
/** Adds names to a schema's `required` list (kept in the source's order, then the added ones). */
const requireNames = (schema, names) => {
  schema.required = [...(schema.required ?? []), ...names.filter((n) => !schema.required?.includes(n))];
};
/** The part of an allOf whose properties hold `name`. */
const partWith = (schema, name) => schema.allOf.find((p) => p.properties?.[name]);

/**
 * Defects of the source that the official SDKs' generated models show (wechatpay-go 6dbd7ce2,
 * wechatpay-java 1dab7be; the whole comparison: docs/reference/v3-spec-crosscheck.md), repaired on the
 * products this package has helpers for. Each: where, what, and the evidence.
 */
const SDK_REPAIRS = [
  [
    'definitions',
    'Transaction.SceneInfo',
    (d) => requireNames(d, ['payer_client_ip']),
    'required payer_client_ip added (wechatpay-go SceneInfo: no omitempty; WeChat docs: 必填)',
  ],
  [
    'definitions',
    'Transaction.StoreInfo',
    (d) => {
      d.required = ['id'];
    },
    'required name, area_code, address → id (wechatpay-go StoreInfo: only id without omitempty; WeChat docs)',
  ],
  [
    'definitions',
    'Transaction.H5Info',
    (d) => requireNames(d, ['type']),
    'required type added (wechatpay-go H5Info: no omitempty)',
  ],
  [
    'POST',
    '/v3/pay/transactions/h5',
    (op) => requireNames(partWith(op.body, 'scene_info').properties.scene_info, ['h5_info']),
    'body: scene_info.h5_info required (wechatpay-go SceneInfo of h5: no omitempty)',
  ],
  [
    'POST',
    '/v3/pay/partner/transactions/h5',
    (op) => requireNames(partWith(op.body, 'scene_info').properties.scene_info, ['h5_info']),
    'body: scene_info.h5_info required (wechatpay-go SceneInfo of partner h5: no omitempty)',
  ],
  [
    'POST',
    '/v3/profitsharing/orders',
    (op) => requireNames(op.body, ['appid']),
    'body: appid required (wechatpay-go CreateOrderRequest: no omitempty)',
  ],
  [
    'GET',
    '/v3/pay/transactions/id/{transaction_id}',
    (op) =>
      orderAnswer(op.responses['200'], [
        {
          type: 'object',
          properties: { amount: ref('Transaction.PayerAmount'), payer: ref('Transaction.PayerDirection') },
        },
      ]),
    'answer: the order request part (notify_url, description required…) → the answer fields of wechatpay-go payments.Transaction (payer, amount, promotion_detail…)',
  ],
  [
    'GET',
    '/v3/pay/transactions/out-trade-no/{out_trade_no}',
    (op) => orderAnswer(op.responses['200']),
    'answer: the order request part → the answer fields of wechatpay-go payments.Transaction',
  ],
  [
    'GET',
    '/v3/pay/partner/transactions/id/{transaction_id}',
    (op) => orderAnswer(op.responses['200']),
    'answer: the order request part → the answer fields of wechatpay-go partnerpayments.Transaction',
  ],
  [
    'GET',
    '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}',
    (op) => orderAnswer(op.responses['200']),
    'answer: the order request part → the answer fields of wechatpay-go partnerpayments.Transaction',
  ],
];

function repairFromSdks(spec, log) {
  for (const [where, name, edit, why] of SDK_REPAIRS) {
    const target = where === 'definitions' ? spec.definitions[name] : spec.paths[name]?.[where];
    if (!target) throw new Error(`SDK repair: no ${where} ${name}`);
    edit(target);
    log.push(`${where === 'definitions' ? `/definitions/${name}` : `${where} ${name}`}: ${why}`);
  }
}

// ---------------------------------------------------------------- fields only the official SDKs have

/** The committed list of them (written by scripts/crosscheck-v3-spec.mjs --sdk-fields; format in spec/NOTICE.md). */
const SDK_FIELDS = fileURLToPath(new URL('../spec/v3-sdk-fields.json', import.meta.url));

/** The field `name` of an object schema: its own, or one of its allOf/oneOf/anyOf parts' (through `$ref`s). */
function findField(resolve, schema, name, seen = new Set()) {
  const s = resolve(schema);
  if (!s || seen.has(s)) return undefined;
  seen.add(s);
  if (s.properties?.[name]) return s.properties[name];
  for (const part of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
    const found = findField(resolve, part, name, seen);
    if (found) return found;
  }
  return undefined;
}

/** The schema an SDK field is added to, or the reason it is not: [object schema, null] | [null, why]. */
function fieldParent(spec, entry) {
  const resolve = resolver(spec);
  const op = spec.paths[entry.path]?.[entry.method];
  if (!op) return [null, 'no such operation'];
  let node = { request: op.body, query: op.parameters?.query, answer: op.responses['200'] ?? op.responses['202'] }[
    entry.side
  ];
  const steps = entry.field.split(/\.|(?=\[\])/);
  for (const step of steps.slice(0, -1)) {
    node = step === '[]' ? resolve(node)?.items : findField(resolve, node, step);
    if (!node) return [null, `no ${step} in the spec`];
  }
  const parent = resolve(node);
  const isObject = parent && (parent.type === 'object' || parent.properties || parent.allOf) && !parent.enum;
  if (!isObject || parent.additionalProperties === false) return [null, 'its parent is not an open object in the spec'];
  return [parent, null];
}

/**
 * Adds the fields only the official SDKs have (trusted: the SDK; docs/reference/v3-spec-crosscheck.md) as
 * OPTIONAL fields: nothing becomes required and no field the spec has changes (a field it already has,
 * through a shared definition added to by an earlier entry, is left as it is). A field whose place the
 * spec does not describe as an object is not added, and the log says why.
 */
function addSdkFields(spec, log) {
  const { fields } = JSON.parse(readFileSync(SDK_FIELDS, 'utf8'));
  for (const entry of fields) {
    const where = `${entry.method} ${entry.path}: ${entry.side} ${entry.field}`;
    const name = entry.field.split('.').at(-1).replace(/^\[\]/, '');
    const [parent, why] = fieldParent(spec, entry);
    if (!parent) log.push(`${where}: only in the SDK (${entry.source}); not added: ${why}`);
    else if (findField(resolver(spec), parent, name))
      log.push(`${where}: only in the SDK; in a definition added to above`);
    else {
      parent.properties = { ...parent.properties, [name]: structuredClone(entry.schema) };
      log.push(`${where}: only in the SDK (${entry.source}); added, optional`);
    }
  }
}

function repairsDoc(commit, log) {
  const lines = log.map((line) => `- \`${line}\``);
  return `# Repairs made by scripts/derive-v3-spec.mjs\n\nWritten by the script (do not edit): defects of the source spec at commit ${commit} that the\nderivation repairs, so that spec/v3.json holds its invariants (tests/js/v3-spec.test.mjs).\n\n${lines.join('\n')}\n`;
}

/** Keys sorted at every level (arrays keep their order: enum and required lists are the source's). */
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted(value[key])]),
  );
}

/** One line per path and per definition: compact, and a change to one endpoint is a one-line diff. */
function serialize(spec) {
  const table = (obj) =>
    `{\n${Object.entries(obj)
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
      .join(',\n')}\n}`;
  const parts = Object.keys(spec).map((key) => {
    const value = key === 'source' ? JSON.stringify(spec[key]) : table(spec[key]);
    return `${JSON.stringify(key)}:${value}`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}

function derive(docs, commit, withSdkFields) {
  const deriver = new Deriver(docs);
  const paths = {};
  for (const [path, item] of Object.entries(docs['swagger.yaml'].paths)) {
    if (!path.startsWith('/v3/')) continue;
    const file = item.$ref ? posix.normalize(item.$ref) : null;
    const pathItem = file ? docs[file] : item;
    if (!pathItem) throw new Error(`path ${path}: no file ${file}`);
    const ops = {};
    for (const method of METHODS) {
      if (pathItem[method]) ops[method.toUpperCase()] = deriver.operation(pathItem[method], pathItem, file);
    }
    paths[path] = ops;
  }
  const spec = {
    source: { repository: REPOSITORY, commit, license: 'MIT', notice: 'spec/NOTICE.md' },
    paths,
    definitions: deriver.definitions,
  };
  const repairs = [];
  repairPathParams(spec, repairs);
  repairRequired(spec, repairs);
  repairFromSdks(spec, repairs);
  if (withSdkFields) addSdkFields(spec, repairs);
  return { spec: sorted(spec), repairs, unknownKeys: deriver.unknownKeys };
}

function main() {
  const args = process.argv.slice(2);
  // --no-sdk-fields: the spec without spec/v3-sdk-fields.json, the one the cross-check lists them against.
  const withSdkFields = !args.includes('--no-sdk-fields');
  const [gitDir, commit = DEFAULT_COMMIT, outFile = 'spec/v3.json'] = args.filter((a) => a !== '--no-sdk-fields');
  if (!gitDir) {
    console.error(
      'usage: node scripts/derive-v3-spec.mjs [--no-sdk-fields] <git-dir of wechatpay-openapi> [commit] [out]',
    );
    process.exit(2);
  }
  const full = execFileSync('git', [`--git-dir=${gitDir}`, 'rev-parse', `${commit}^{commit}`])
    .toString()
    .trim();
  const { spec, repairs, unknownKeys } = derive(loadDocs(gitDir, full), full, withSdkFields);
  writeFileSync(outFile, serialize(spec));
  writeFileSync(outFile.replace(/\.json$/, '-repairs.md'), repairsDoc(full, repairs));
  const ops = Object.values(spec.paths).reduce((n, p) => n + Object.keys(p).length, 0);
  const counts = `${Object.keys(spec.paths).length} paths, ${ops} operations`;
  const defs = Object.keys(spec.definitions).length;
  console.error(`${outFile}: ${counts}, ${defs} definitions, ${repairs.length} repairs (commit ${full})`);
  if (unknownKeys.size > 0) console.error('schema keys not kept:', Object.fromEntries(unknownKeys));
}

main();
