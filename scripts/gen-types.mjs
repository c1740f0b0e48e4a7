// Writes js/types/contract.d.ts from js/contract.json (itself generated from src/contract by
// `WXPAY_BLESS=1 cargo test contract`): the tables the shipped types quote — the error-code
// union, WxPayError's detail names, the diagnosis causes, the v2 endpoint paths and which
// of them need the client certificate — so they are written once, in Rust.
// tests/js/types.test.mjs fails when the committed file differs from what this writes.
// Run from the repo root: node scripts/gen-types.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CONTRACT_JSON = `${root}js/contract.json`;
export const OUT = `${root}js/types/contract.d.ts`;

/** A doc comment's text made safe inside `/** … *\/`. */
const doc = (text) => text.replaceAll('*/', '*\\/');
const quote = (s) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const union = (items, indent = '  ') => items.map((s) => `${indent}| ${s}`).join('\n');

/** The file's text for one contract. Pure: the test calls it and compares. */
export function render(contract) {
  const codes = contract.codes.map((c) => `  /** ${doc(c.doc)} */\n  | ${quote(c.code)}`).join('\n');
  const paths = contract.endpoints.v2.map((e) => `  ${e.name}: ${quote(e.path)};`);
  const certApis = contract.endpoints.v2.filter((e) => e.clientCert).map((e) => quote(e.name));
  return `// Generated from the contract of wxpay-wasm's core; do not edit by hand.
// The tables the types quote: error codes, error details, diagnosis causes, v2 endpoints.

/** Stable error codes carried by \`WxPayError.code\`, in the order the core declares them. */
export type WxPayErrorCode =
${codes};

/** The facts a \`WxPayError\` may carry beside its code and message. */
export type WxPayErrorDetail =
${union(contract.details.map(quote))};

/** Stable identifiers of the mistakes \`diagnoseSign\` can prove, in the order they are tried. */
export type DiagnosisCause =
${union(contract.causes.map((c) => quote(c.cause)))};

/**
 * v2 endpoint paths under \`https://api.mch.weixin.qq.com\`. Sandbox calls insert \`/sandboxnew\`
 * before the path (\`/sandboxnew/pay/orderquery\`); \`sandboxSignKey\` already has it.
 */
export interface ApiPaths {
${paths.join('\n')}
}

/** Names of the v2 APIs this package builds requests for. */
export type ApiName = keyof ApiPaths;

/** v2 APIs whose HTTPS request must present the merchant's client certificate (apiclient_cert). */
export type ClientCertApis = readonly [${certApis.join(', ')}];
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = render(JSON.parse(readFileSync(CONTRACT_JSON, 'utf8')));
  writeFileSync(OUT, text);
  console.log(`${OUT}: ${text.length} characters`);
}
