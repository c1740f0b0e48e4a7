// Writes js/types/v3-paths.d.ts, the TypeScript types of every path of the WeChat Pay v3 API, from
// spec/v3.json (the derived spec; its format is in spec/NOTICE.md "Format").
//
// Why openapi-typescript and not a hand generator: it is the maintained, widely used generator of
// types from OpenAPI, and its output shape (`paths[path][method]` with `parameters`, `requestBody`,
// `responses`) is known to users. spec/v3.json is close to Swagger 2.0, which openapi-typescript 7 no
// longer reads, so this script converts it in memory to OpenAPI 3.0 first: the parameters of each
// place become parameter objects, `body` a JSON request body, `formData` a multipart one, `responses`
// the answers, and `definitions` `components.schemas` (every `$ref` rewritten).
//
// Beside openapi-typescript's `paths` and `components`, the file holds `V3PathTree`: the spec's paths
// as a tree of segments (`'{name}'` for a parameter, `'/'` for the methods of a path that ends there),
// which the hand-written call types in js/v3/index.d.ts walk to find a URL's operation without a
// union of 992 operations (fast for tsc).
//
// Sensitive fields (carried encrypted): the spec marks them with `x-is-sensitive` on the object that
// holds them, and with `format: base64` on the field. Both are written in the types as a `@sensitive`
// JSDoc line (a doc comment, not a type: a branded string would make every plain string an error).
//
// tests/js/v3-types.test.mjs regenerates the file into memory and compares it byte for byte.
// Run from the repo root: node scripts/gen-v3-types.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SPEC = `${root}spec/v3.json`;
export const OUT = `${root}js/types/v3-paths.d.ts`;
const GENERATOR_VERSION = createRequire(import.meta.url)('openapi-typescript/package.json').version;

/** The `@sensitive` lines, by where the field is carried. */
export const SENSITIVE = {
  request: '@sensitive Encrypted: send client.encrypt(plaintext) (the platform key in use; its serial is sent).',
  answer: '@sensitive Encrypted with the merchant key: read it with client.decrypt(value).',
  shared: '@sensitive Encrypted: in a request send client.encrypt(plaintext); in an answer read client.decrypt(value).',
  resource: '@sensitive AEAD_AES_256_GCM with the APIv3 key: decryptResource(resource, apiV3Key).',
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The names an object schema marks sensitive: its `x-is-sensitive` (a list or one name) and its base64 fields. */
function sensitiveNames(schema) {
  const marked = schema['x-is-sensitive'];
  const names = new Set(Array.isArray(marked) ? marked : marked ? [marked] : []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) if (prop?.format === 'base64') names.add(name);
  return names;
}

/** One schema of spec/v3.json as OpenAPI 3.0, recursively; `where` picks the `@sensitive` text. */
export function convertSchema(schema, where) {
  if (Array.isArray(schema)) return schema.map((s) => convertSchema(s, where));
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.$ref) return { $ref: schema.$ref.replace('#/definitions/', '#/components/schemas/') };
  const out = {};
  // The spec's allOf over an enumeration adds the endpoint's own values to a shared one (tradebill's
  // bill_type: BillType's ALL, SUCCESS, REFUND and the *_SPECIAL kinds): a union of the values, written
  // as anyOf; as an intersection it would type no value at all. The mock's spec.mjs reads it the same.
  if (schema.allOf?.length > 1 && schema.allOf.some((m) => m.enum && !m.properties)) {
    // Its own `type` (string) left to the members: beside anyOf, openapi-typescript would widen the union to string.
    const { allOf, type: _, ...rest } = schema;
    return convertSchema({ ...rest, anyOf: allOf }, where);
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'x-json') continue;
    if (key === 'type' && value === 'file') {
      out.type = 'string';
      out.format = 'binary';
    } else out[key] = typeof value === 'object' ? convertSchema(value, where) : value;
  }
  if (schema.properties) {
    const sensitive = sensitiveNames(schema);
    const isResource = 'nonce' in schema.properties && 'associated_data' in schema.properties;
    out.properties = {};
    for (const [name, prop] of Object.entries(schema.properties)) {
      const converted = convertSchema(prop, where);
      if (sensitive.has(name) && !converted.$ref) converted.title = isResource ? SENSITIVE.resource : SENSITIVE[where];
      out.properties[name] = converted;
    }
  }
  return out;
}

/** The parameter objects of one place (`path`, `query`, `header`) from its object schema. */
function parameters(place, schema) {
  const required = new Set(schema.required ?? []);
  const sensitive = sensitiveNames(schema);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => ({
    name,
    in: place,
    required: place === 'path' || required.has(name),
    schema: convertSchema(prop, 'request'),
    // openapi-typescript writes a parameter's doc comment from the parameter object, title first.
    ...(sensitive.has(name) ? { title: SENSITIVE.request } : {}),
  }));
}

/** One operation of spec/v3.json as an OpenAPI 3.0 operation object. */
function convertOperation(op) {
  const out = { parameters: [], responses: {} };
  for (const place of ['path', 'query', 'header'])
    if (op.parameters?.[place]) out.parameters.push(...parameters(place, op.parameters[place]));
  if (op.body) {
    out.requestBody = {
      required: true,
      content: { 'application/json': { schema: convertSchema(op.body, 'request') } },
    };
  } else if (op.parameters?.formData) {
    const schema = convertSchema(op.parameters.formData, 'request');
    out.requestBody = { required: true, content: { 'multipart/form-data': { schema } } };
  }
  for (const [status, schema] of Object.entries(op.responses)) {
    const media = op.produces?.[0] ?? 'application/json';
    out.responses[status] = schema
      ? { description: '', content: { [media]: { schema: convertSchema(schema, 'answer') } } }
      : { description: '' };
  }
  return out;
}

/** spec/v3.json as an OpenAPI 3.0 document. Pure. */
export function toOpenApi(spec) {
  const paths = {};
  for (const [path, ops] of Object.entries(spec.paths)) {
    paths[path] = {};
    for (const method of METHODS) if (ops[method]) paths[path][method.toLowerCase()] = convertOperation(ops[method]);
  }
  const schemas = {};
  for (const [name, schema] of Object.entries(spec.definitions)) schemas[name] = convertSchema(schema, 'shared');
  return {
    openapi: '3.0.3',
    info: { title: 'WeChat Pay API v3', version: spec.source.commit },
    paths,
    components: { schemas },
  };
}

const quote = (s) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** The paths as a tree of segments: `{ v3: { pay: { … '/': { POST: '/v3/…' } } } }`. */
export function pathTree(spec) {
  const tree = {};
  for (const [path, ops] of Object.entries(spec.paths)) {
    let node = tree;
    for (const segment of path.slice(1).split('/')) node = node[segment] ??= {};
    node['/'] = Object.fromEntries(METHODS.filter((m) => ops[m]).map((m) => [m, path]));
  }
  return tree;
}

/** A tree as a TypeScript object type, keys sorted, `'/'` first. */
function treeType(node, indent) {
  const keys = Object.keys(node).sort((a, b) => (a === '/' ? -1 : b === '/' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const lines = keys.map((key) => {
    const value = node[key];
    const type = typeof value === 'string' ? quote(value) : treeType(value, `${indent}  `);
    return `${indent}  ${quote(key)}: ${type};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The file's text. Deterministic: the same spec and generator give the same bytes. */
export async function render(spec) {
  const ast = await openapiTS(toOpenApi(spec), { silent: true });
  // openapi-typescript indents by four; the repository's style (and half the bytes) is two.
  const generated = astToString(ast)
    .replaceAll('\r\n', '\n')
    .replace(/^( +)/gm, (lead) => ' '.repeat((lead.length >> 2) * 2 + (lead.length % 4)));
  const ops = Object.values(spec.paths).reduce((n, ops) => n + METHODS.filter((m) => ops[m]).length, 0);
  const header = `// The WeChat Pay API v3 (${Object.keys(spec.paths).length} paths, ${ops} operations), generated: do not edit.
// Written by openapi-typescript ${GENERATOR_VERSION} from wxpay-wasm's spec/v3.json, which is derived from
// ${spec.source.repository} at commit ${spec.source.commit}
// (the derivation, what it kept and repaired: spec/NOTICE.md in the wxpay-wasm repository).
//
// Licence of the derived data (${spec.source.license}): Copyright (c) 2020-present James ZHANG(TheNorthMemory).
// Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
// associated documentation files (the "Software"), to deal in the Software without restriction,
// including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
// and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
// subject to the following conditions: The above copyright notice and this permission notice shall be
// included in all copies or substantial portions of the Software.
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
// LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
// NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
// WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
// SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
//
// Fields carried encrypted have a \`@sensitive\` line in their doc comment.

`;
  const tree = `
/**
 * The paths of \`paths\` as a tree of URL segments: a key \`'{name}'\` is a path parameter, the key \`'/'\`
 * lists the methods of the path that ends at that node. Read by the client's call types.
 */
export interface V3PathTree ${treeType(pathTree(spec), '')}
`;
  return header + generated + tree;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await render(JSON.parse(readFileSync(SPEC, 'utf8')));
  writeFileSync(OUT, text);
  console.log(`${OUT}: ${text.length} characters`);
}
