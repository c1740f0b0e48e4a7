// `wxpay-wasm sign|verify|notify --api v3`: WeChat Pay API v3 from the shell. Signing and
// verification go through the package's own `wxpay-wasm/v3` entry (the CLI is one of its
// users); the callback `notify --api v3` sends is made by the mock's v3 code (the same
// signature and AES-256-GCM resource the mock's callbacks carry), so the two never drift.
// Lives in pkg/cli/ beside cli.mjs, which calls createCliV3.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import v3 from 'wxpay-wasm/v3';
import { createV3, rfc3339 } from '#mock/v3.mjs';
import { loadV3Keys } from '#mock/v3keys.mjs';
import { Store } from '#mock/store.mjs';

export const HELP_V3 = {
  sign: `With --api v3: print the Authorization header value of a v3 request

Usage: wxpay-wasm sign --api v3 --method POST --url /v3/pay/transactions/jsapi
                       [--body JSON | --body-file FILE] --keys-dir DIR
       wxpay-wasm sign --api v3 --method GET --url '/v3/…?mchid=…'
                       --mchid ID --serial-no SERIAL --private-key apiclient_key.pem
  --keys-dir DIR     a mock keys folder: apiclient_key.pem and wechatpay.json (mchid, serialNo)
  --url PATH         the path and query exactly as sent (a full https:// URL is cut to them)
  --body / --body-file  the exact body that will be sent (default: empty, as for GET)
  --timestamp S, --nonce N  fix them (default: now, 32 random characters)
Prints the value alone: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",… (for -H "Authorization: $(…)")`,
  verify: `With --api v3: check a v3 answer's or callback's signature

Usage: wxpay-wasm verify --api v3 --headers FILE --body FILE --keys-dir DIR [--notify]
       wxpay-wasm verify --api v3 --header 'Wechatpay-Timestamp: …' --header … --body FILE
                         --public-key pub_key.pem --public-key-id PUB_KEY_ID_…
  --headers FILE     "Name: value" lines (what curl -D writes; an HTTP status line is skipped)
                     or a JSON object of headers
  --header 'k: v'    one header, repeatable (Wechatpay-Timestamp, -Nonce, -Signature, -Serial)
  --body FILE        the body exactly as received (- for stdin)
  --keys-dir DIR     pub_key.pem under wechatpay.json's publicKeyId (and platform_cert.pem
                     under platformSerial when present); with --notify also apiV3Key
  --notify           also decrypt and check the callback (verifyNotify); prints its JSON
The timestamp must be within 300 s of now. Prints OK (exit 0), or the WxPayError code
(SIGN_MISMATCH, UNKNOWN_SERIAL, TIMESTAMP_SKEW, …) with the reason on stderr (exit 1).`,
  notify: `With --api v3: post a signed, encrypted v3 callback to your handler

Usage: wxpay-wasm notify --api v3 --url http://127.0.0.1:3000/wxpay/v3/notify --keys-dir DIR
                         --out-trade-no NO --amount FEN [--kind TRANSACTION.SUCCESS|REFUND.SUCCESS]
                         [--transaction-id ID] [--openid ID] [--attach TEXT]
                         [--out-refund-no NO] [--refund FEN]
  --keys-dir DIR     the mock's keys folder: the callback is signed with its
                     wechatpay_private_key.pem (Wechatpay-Serial = publicKeyId) and its
                     resource encrypted (AEAD_AES_256_GCM) with apiV3Key, as the mock does
  --kind             TRANSACTION.SUCCESS (default: a paid transaction) or REFUND.SUCCESS
                     (--refund defaults to --amount, --out-refund-no to a new number)
Prints the handler's HTTP status and body; exit 0 when it answered 200 or 204, 1 otherwise.`,
};

/** Options each command takes with --api v3; any other is refused (fail closed). */
const ALLOWED = {
  sign: [
    'api',
    'method',
    'url',
    'body',
    'body-file',
    'keys-dir',
    'mchid',
    'serial-no',
    'private-key',
    'timestamp',
    'nonce',
  ],
  verify: ['api', 'headers', 'header', 'body', 'keys-dir', 'public-key', 'public-key-id', 'notify'],
  notify: [
    'api',
    'url',
    'keys-dir',
    'out-trade-no',
    'amount',
    'kind',
    'transaction-id',
    'openid',
    'attach',
    'out-refund-no',
    'refund',
  ],
};
const KINDS = ['TRANSACTION.SUCCESS', 'REFUND.SUCCESS'];

/**
 * The three commands, bound to the CLI's error classes (`errors`: { UsageError, WxPayError }),
 * which every function below takes first: a UsageError is the user's mistake (exit 2).
 */
export function createCliV3(errors) {
  return {
    sign: (opts, rest) => sign(errors, opts, rest),
    verify: (opts, rest) => verify(errors, opts, rest),
    notify: (opts, rest) => notify(errors, opts, rest),
  };
}

function strict({ UsageError }, command, opts, rest) {
  const unknown = Object.keys(opts).filter((k) => !ALLOWED[command].includes(k));
  if (unknown.length)
    throw new UsageError(`${command} --api v3 does not take ${unknown.map((k) => `--${k}`).join(', ')}`);
  if (rest.length) throw new UsageError(`${command} --api v3 takes no k=v arguments, got ${JSON.stringify(rest[0])}`);
}

function read({ UsageError }, file, what) {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${e.code || e.message}`);
  }
}

/** wechatpay.json of a keys folder, with the fields `need` checked. */
function keysConfig(errors, dir, need) {
  const { UsageError } = errors;
  const text = read(errors, join(dir, 'wechatpay.json'), 'the keys folder file').toString('utf8');
  let c;
  try {
    c = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${join(dir, 'wechatpay.json')} is not JSON: ${e.message}`);
  }
  for (const k of need)
    if (typeof c?.[k] !== 'string' || !c[k])
      throw new UsageError(`${join(dir, 'wechatpay.json')}: "${k}" must be a non-empty string`);
  return c;
}

/** The merchant of `sign`: from --keys-dir, or --mchid, --serial-no and --private-key. */
function signer(errors, opts) {
  const { UsageError } = errors;
  let { mchid, 'serial-no': serialNo } = opts;
  let pemFile = opts['private-key'];
  if (opts['keys-dir'] !== undefined) {
    if (mchid || serialNo || pemFile)
      throw new UsageError('give --keys-dir, or --mchid, --serial-no and --private-key, not both');
    const c = keysConfig(errors, opts['keys-dir'], ['mchid', 'serialNo']);
    ({ mchid, serialNo } = c);
    pemFile = join(opts['keys-dir'], 'apiclient_key.pem');
  } else if (!mchid || !serialNo || !pemFile) {
    throw new UsageError(
      'the merchant is missing: give --keys-dir DIR, or --mchid, --serial-no and --private-key FILE',
    );
  }
  return { mchid, serialNo, pemFile };
}

async function sign(errors, opts, rest) {
  const { UsageError } = errors;
  strict(errors, 'sign', opts, rest);
  if (!opts.method) throw new UsageError('--method is required (GET, POST, PUT, PATCH or DELETE)');
  if (!opts.url) throw new UsageError('--url is required: the path and query as sent, e.g. /v3/pay/transactions/jsapi');
  if (opts.body !== undefined && opts['body-file'] !== undefined)
    throw new UsageError('give --body or --body-file, not both');
  let url = opts.url;
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    url = u.pathname + u.search;
  }
  const { mchid, serialNo, pemFile } = signer(errors, opts);
  const body =
    opts['body-file'] !== undefined
      ? read(errors, opts['body-file'], 'the body file').toString('utf8')
      : (opts.body ?? '');
  const auth = await v3.authorization({
    mchId: mchid,
    serialNo,
    privateKey: read(errors, pemFile, 'the private key').toString('utf8'),
    method: opts.method,
    url,
    body,
    ...(opts.timestamp === undefined ? {} : { timestamp: opts.timestamp }),
    ...(opts.nonce === undefined ? {} : { nonce: opts.nonce }),
  });
  console.log(auth);
  return 0;
}

/** Header lines ("Name: value", as curl -D writes them) or a JSON object → a plain object. */
function parseHeaders(errors, opts) {
  const { UsageError } = errors;
  const out = {};
  const add = (line, where) => {
    const i = line.indexOf(':');
    if (i <= 0) throw new UsageError(`${where}: expected "Name: value", got ${JSON.stringify(line)}`);
    const name = line.slice(0, i).trim().toLowerCase();
    if (Object.hasOwn(out, name)) throw new UsageError(`${where}: header ${name} given twice`);
    out[name] = line.slice(i + 1).trim();
  };
  if (opts.headers !== undefined) {
    const text = read(errors, opts.headers, 'the headers file').toString('utf8');
    if (text.trimStart().startsWith('{')) {
      let obj;
      try {
        obj = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`${opts.headers} is not JSON: ${e.message}`);
      }
      for (const [k, v] of Object.entries(obj)) add(`${k}: ${v}`, opts.headers);
    } else {
      for (const line of text.split(/\r?\n/))
        if (line.trim() && !/^HTTP\/\S+ \d{3}/.test(line)) add(line, opts.headers);
    }
  }
  for (const h of [].concat(opts.header ?? [])) add(h, '--header');
  if (!Object.keys(out).length)
    throw new UsageError('no headers: give --headers FILE or --header "Name: value" (repeatable)');
  return out;
}

function publicKeys(errors, opts, needKey) {
  const { UsageError } = errors;
  if (opts['keys-dir'] !== undefined) {
    if (opts['public-key'] || opts['public-key-id'])
      throw new UsageError('give --keys-dir, or --public-key and --public-key-id, not both');
    const dir = opts['keys-dir'];
    const c = keysConfig(errors, dir, ['publicKeyId', ...(needKey ? ['apiV3Key'] : [])]);
    const keys = {
      [c.publicKeyId]: read(errors, join(dir, 'pub_key.pem'), 'the WeChat Pay public key').toString('utf8'),
    };
    if (c.platformSerial && existsSync(join(dir, 'platform_cert.pem')))
      keys[c.platformSerial] = readFileSync(join(dir, 'platform_cert.pem'), 'utf8');
    return { keys, config: c };
  }
  if (needKey) throw new UsageError('--notify needs --keys-dir (the apiV3Key is in its wechatpay.json)');
  if (!opts['public-key'] || !opts['public-key-id'])
    throw new UsageError(
      'the key is missing: give --keys-dir DIR, or --public-key FILE and --public-key-id ID (the Wechatpay-Serial it answers to)',
    );
  return { keys: { [opts['public-key-id']]: read(errors, opts['public-key'], 'the public key').toString('utf8') } };
}

async function verify(errors, opts, rest) {
  const { UsageError, WxPayError } = errors;
  strict(errors, 'verify', opts, rest);
  if (opts.body === undefined)
    throw new UsageError(
      '--body FILE is required: the body exactly as received (- for stdin; an empty file for a 204)',
    );
  const headers = parseHeaders(errors, opts);
  const { keys, config } = publicKeys(errors, opts, !!opts.notify);
  const body = read(errors, opts.body, 'the body file');
  try {
    if (opts.notify) {
      const n = await v3.verifyNotify(new Uint8Array(body), headers, { apiV3Key: config.apiV3Key, publicKeys: keys });
      console.log('OK');
      console.log(JSON.stringify(n, null, 2));
    } else {
      await v3.verifySignature(new Uint8Array(body), headers, { publicKeys: keys });
      console.log('OK');
    }
    return 0;
  } catch (e) {
    if (!(e instanceof WxPayError)) throw e;
    console.log(e.code);
    console.error(`wxpay-wasm verify: ${e.code}: ${e.message}`);
    return 1;
  }
}

const fen = ({ UsageError }, v, flag) => {
  const n = Number(v);
  if (!/^\d+$/.test(String(v)) || !Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive integer in fen, got ${JSON.stringify(v)}`);
  return n;
};
const digits = (n) => Array.from({ length: n }, () => randomInt(10)).join('');

/** The mock's v3 code over the keys folder `dir` (the callback is made exactly as the mock makes its own). */
function mockOf({ UsageError }, dir) {
  for (const f of ['wechatpay.json', 'wechatpay_private_key.pem', 'pub_key.pem']) {
    if (!existsSync(join(dir, f)))
      throw new UsageError(
        `${dir} is not a mock keys folder (no ${f}); start "wxpay-wasm mock --keys-dir ${dir}" once to create it`,
      );
  }
  let keys;
  try {
    keys = loadV3Keys(dir);
  } catch (e) {
    throw new UsageError(`cannot use the keys in ${dir}: ${e.message}`);
  }
  return createV3({
    keys,
    store: new Store(),
    notifier: null,
    config: { timeScale: 1, refundDelay: -1 },
    log: () => {},
  });
}

/** The callback's JSON body for --kind. */
function callbackOf(errors, mock, opts, kind) {
  const total = fen(errors, opts.amount, '--amount');
  const c = mock.config;
  const transactionId = opts['transaction-id'] ?? `4200000${digits(21)}`;
  if (kind === 'TRANSACTION.SUCCESS') {
    const order = {
      appid: c.appid,
      mchid: c.mchid,
      out_trade_no: opts['out-trade-no'],
      transaction_id: transactionId,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      bank_type: 'OTHERS',
      attach: opts.attach,
      paid_at: Date.now(),
      openid: opts.openid ?? 'o-wxpay-cli',
      total,
      currency: 'CNY',
    };
    return mock.callbackBody('TRANSACTION.SUCCESS', '支付成功', 'transaction', mock.transaction(order));
  }
  const refund = opts.refund === undefined ? total : fen(errors, opts.refund, '--refund');
  if (refund > total) throw new errors.UsageError(`--refund ${refund} is more than --amount ${total}`);
  return mock.callbackBody('REFUND.SUCCESS', '退款成功', 'refund', {
    mchid: c.mchid,
    out_trade_no: opts['out-trade-no'],
    transaction_id: transactionId,
    out_refund_no: opts['out-refund-no'] ?? `R${Date.now()}${digits(6)}`,
    refund_id: `5030${digits(25)}`,
    refund_status: 'SUCCESS',
    success_time: rfc3339(),
    user_received_account: '支付用户零钱',
    amount: { total, refund, payer_total: total, payer_refund: refund },
  });
}

async function notify(errors, opts, rest) {
  const { UsageError } = errors;
  strict(errors, 'notify', opts, rest);
  for (const k of ['url', 'keys-dir', 'out-trade-no', 'amount'])
    if (opts[k] === undefined) throw new UsageError(`--${k} is required`);
  const kind = opts.kind ?? 'TRANSACTION.SUCCESS';
  if (!KINDS.includes(kind)) throw new UsageError(`--kind must be ${KINDS.join(' or ')}, got ${kind}`);
  if (kind !== 'REFUND.SUCCESS' && (opts.refund !== undefined || opts['out-refund-no'] !== undefined))
    throw new UsageError('--refund and --out-refund-no go with --kind REFUND.SUCCESS');
  const mock = mockOf(errors, opts['keys-dir']);
  const body = callbackOf(errors, mock, opts, kind);
  let res;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...mock.signatureHeaders(body) },
      signal: AbortSignal.timeout(10000),
    });
  } catch (e) {
    console.error(`wxpay-wasm notify: cannot reach ${opts.url}: ${e.cause?.code || e.message}`);
    return 1;
  }
  const text = await res.text();
  console.log(`HTTP ${res.status}\n${text}`);
  if (res.status === 200 || res.status === 204) return 0;
  console.error(
    `wxpay-wasm notify: the handler did not acknowledge (HTTP ${res.status}; WeChat wants 200 or 204); WeChat would retry`,
  );
  return 1;
}
