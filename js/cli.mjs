#!/usr/bin/env node
// wxpay-wasm: the package's command line. Installed as the package's `bin`; lives in
// pkg/cli/ next to pkg/node/, whose entry it imports like any user of the package.
import wx from 'wxpay-wasm';
import { createMock } from '#mock/server.mjs';
import { endOnSignalsAndLauncher } from '#mock/lifetime.mjs';
import { loadV3Keys } from '#mock/v3keys.mjs';
import { HELP_V3, createCliV3 } from '#cli/v3.mjs';
import { V3_KEY_MODES } from '#mock/v3.mjs';

const { WxPayError } = wx;
const DEFAULT_MOCK = 'http://127.0.0.1:9080';

const HELP = {
  main: `wxpay-wasm — WeChat Pay v2 and v3 from the shell, and a local WeChat to develop against

Usage: wxpay-wasm <command> [options]

Commands:
  mock      run a local WeChat Pay server, v2 and v3 (and drive it: mock pay, mock notify …)
  notify    POST a signed payment-result notification to your notify_url (--api v3: a v3 callback)
  sign      print the sign of k=v parameters (--api v3: a request's Authorization header)
  verify    check the sign of parameters (--api v3: a v3 answer's or callback's signature)

Run "wxpay-wasm <command> --help" for a command's options.
The API key comes from --key or the WXPAY_KEY environment variable (keeps it out of shell history).
Exit codes: 0 success, 1 failure (invalid sign, FAIL reply, WxPayError), 2 bad usage.`,
  mock: `wxpay-wasm mock — a local WeChat Pay server (API v2, and v3 on the same port)

Start it:
  wxpay-wasm mock --key KEY [--port 9080] [--host 127.0.0.1] [--mch-id ID] [--appid ID]
                  [--time-scale 1] [--state FILE] [--refund-delay 5] [--log-bodies] [--quiet]
                  [--exit-after SECONDS] [--keys-dir DIR] [--v3-keys pubkey|cert|migrating]

  Serves /pay/unifiedorder, /pay/orderquery, /pay/closeorder, /secapi/pay/refund,
  /pay/refundquery, /pay/downloadbill, /sandboxnew/pay/getsignkey with WeChat's checks and codes,
  and API v3 on the same port: POST /v3/pay/transactions/jsapi, GET /v3/pay/transactions/
  out-trade-no/{no}?mchid=… and id/{id}?mchid=…, POST …/out-trade-no/{no}/close,
  POST /v3/refund/domestic/refunds, GET /v3/refund/domestic/refunds/{out_refund_no},
  GET /v3/certificates (Authorization checked, answers and callbacks signed by WeChat's key),
  and every other path of the derived v3 spec (992 operations): requests validated as WeChat
  validates them (400 PARAM_ERROR naming the field, 404, 405), answers shaped by the spec.
  With behaviour besides the mini-program order: Native, H5, App, partner and combine orders,
  abnormal refunds, profit sharing, transfers (2025), bills, media upload and complaints.
  --keys-dir DIR     the v3 keys: reads, or creates when absent, apiclient_key.pem (sign your
                     requests with it), pub_key.pem (the WeChat Pay public key), platform_cert.pem
                     (the platform certificate, X.509, 5 years), next_pub_key.pem and
                     next_platform_cert.pem (the keys WeChat switches to next) and wechatpay.json
                     {mchid, appid, serialNo, apiV3Key, publicKeyId, platformSerial, …}; default:
                     a new folder under the temp dir, printed on start.
  --v3-keys MODE     which WeChat Pay key signs v3 answers and callbacks:
                     pubkey (default): pub_key.pem, Wechatpay-Serial PUB_KEY_ID_…; /v3/certificates
                       answers 404 RESOURCE_NOT_EXISTS, as for a merchant without a certificate
                     cert: platform_cert.pem, Wechatpay-Serial = its serial; /v3/certificates lists it
                     migrating: callbacks by either key at random; answers by the public key when
                       the request sends Wechatpay-Serial: PUB_KEY_ID_…, else by the certificate
  --mch-id/--appid   requests for another merchant get APPID_MCHID_NOT_MATCH (default: any)
  --time-scale F     multiply every delay (notification retries, refund delay) by F;
                     0.001 runs WeChat's 24-hour retry schedule in about 87 seconds
  --state FILE       keep orders and refunds in a JSON file, surviving restarts
  --refund-delay S   seconds (scaled) before a refund succeeds by itself; negative = never
                     (complete it with "mock complete-refund"); also the delay of a profit-sharing
                     order, return or unfreeze (PROCESSING → FINISHED) and of a transfer's cancel
  --exit-after S     stop after S seconds (exit 0). SIGINT, SIGTERM and SIGHUP stop it too
                     (exit 128 + the signal's number), and so does the exit of the npx /
                     npm exec launcher that started it, so "kill PID" frees the port.

Drive a running mock (--url, default ${DEFAULT_MOCK}):
  wxpay-wasm mock orders | order NO | refunds | refund NO | health | reset
  wxpay-wasm mock pay NO [--no-notify]      the user pays; the notification cycle starts
  wxpay-wasm mock fail NO [--no-notify]     the payment fails (v2: result_code FAIL notification;
                                            v3: PAYERROR, no callback, as WeChat)
  wxpay-wasm mock expire NO                 the order can no longer be paid
  wxpay-wasm mock notify NO [--kind retry|once|duplicate|delayed|forged|tampered|wrong-amount]
                            [--delay SECONDS] [--amount FEN] [--count N]
                            (a v3 order: --kind retry|once|duplicate|forged|tampered|stale|
                             probe|unknown-serial|wrong-amount [--amount FEN])
  wxpay-wasm mock complete-refund NO [--status SUCCESS|CHANGE|REFUNDCLOSE]
                            (a v3 refund: --status SUCCESS|ABNORMAL|CLOSED, posts REFUND.<status>)
  wxpay-wasm mock notify-refund NO [--kind retry|once|duplicate]

The mini-program platform on the same port (api.weixin.qq.com's paths): /sns/jscode2session,
/cgi-bin/stable_token and /cgi-bin/token, /wxa/sec/order/* (shipping, a paid order starts 待发货),
/xpay/* (both signatures checked), and the message push to your URL:
  --mp-appid ID            the mini-program's appid (default: --appid, else the v3 keys' appid)
  --mp-secret S, --mp-app-key K   its AppSecret and xpay AppKey (default: derived from --key;
                           "wxpay-wasm mock mp" prints them)
  --mp-push-url URL --mp-push-token T [--mp-push-aes-key EncodingAESKey]
       [--mp-push-mode safe|plain] [--mp-push-format json|xml]   where events are pushed
  wxpay-wasm mock mp                        the mini-program's settings (appid, secret, AppKeys, push)
  wxpay-wasm mock mp-login [--openid ID] [--unionid ID]   wx.login: a code for jscode2session
  wxpay-wasm mock mp-orders                 paid orders as get_order shows them (order_state)
  wxpay-wasm mock confirm-receive TRANSACTION_ID   the user confirms receipt (→ 3 确认收货);
                                            trade_manage_order_settlement is pushed
  wxpay-wasm mock mp-push --event EVENT [--transaction-id ID]   push trade_manage_remind_shipping …
  wxpay-wasm mock mp-pushes                 the pushes sent and what your URL answered
  wxpay-wasm mock push-config --mp-push-url URL --mp-push-token T [--mp-push-aes-key K]
       [--mp-push-mode safe|plain] [--mp-push-format json|xml]   (checks the URL with echostr first)

Faults on demand, for the next N API calls (v2 and v3; control calls are never affected):
  wxpay-wasm mock fault --kind drop|system_error|slow [--count N] [--after] [--delay-ms MS]
                        [--path PREFIX] [--method GET|POST|PUT|PATCH|DELETE]
      drop          close the connection with no answer
      system_error  v2 result_code FAIL err_code SYSTEMERROR / v3 500 SYSTEM_ERROR, signed
      slow          answer after --delay-ms (default 3000, not scaled by --time-scale)
      --after       carry the call out first (the order is created), then misbehave
      --path, --method  aim it: only calls whose path starts with PREFIX (and with that method)
      tamper-bill   (--kind tamper-bill [--count N]) the next bill downloads get one byte flipped
  wxpay-wasm mock faults [--clear]          the queue and what fired; --clear empties both

v3 products (Native, H5, App, partner and combine orders are paid with "mock pay NO"; a partner
order as SUB_MCHID:NO when two sub-merchants share the number; a combine order by combine_out_trade_no):
  wxpay-wasm mock transfers | transfer NO   transfer bills (商家转账) with their query and callbacks
  wxpay-wasm mock confirm-transfer NO       the user accepts in WeChat: SUCCESS, MCHTRANSFER.BILL.FINISHED
  wxpay-wasm mock reject-transfer NO        the user declines: FAIL, MCHTRANSFER.BILL.FINISHED
  wxpay-wasm mock complain NO [--detail TEXT]  the payer of paid order NO complains: COMPLAINT.CREATE
                                            to the URL set by /v3/merchant-service/complaint-notifications
  wxpay-wasm mock complaints                complaints with their negotiation history
  wxpay-wasm mock sharing-notify-url URL    where 分账动账通知 (PROFITSHARING.SUCCESS / .RETURN) go
  wxpay-wasm mock sharing | finish-sharing NO   profit-sharing orders; FINISHED now (--refund-delay -1)
  wxpay-wasm mock media                     uploaded media (media_id, filename, sha256, size)
  (complete a refund ABNORMAL with "mock complete-refund NO --status ABNORMAL"; REFUND.ABNORMAL is posted)`,
  notify: `wxpay-wasm notify — send one signed payment-result notification

Usage: wxpay-wasm notify --url URL --key KEY [--sign-type MD5|HMAC-SHA256] k=v …
       echo '{"out_trade_no":"…"}' | wxpay-wasm notify --url URL --key KEY

Fields: appid, mch_id, out_trade_no and total_fee are required; return_code and result_code
default to SUCCESS; nonce_str is filled in. Prints the merchant's reply; exit 0 when it
answered return_code SUCCESS, 1 otherwise.`,
  sign: `wxpay-wasm sign — sign parameters

Usage: wxpay-wasm sign --key KEY [--sign-type MD5|HMAC-SHA256] [--xml] k=v …
       wxpay-wasm sign --key KEY < params.json   (or XML on stdin)

Prints the uppercase hex sign; with --xml, the signed request XML.`,
  verify: `wxpay-wasm verify — check a sign

Usage: wxpay-wasm verify --key KEY [--sign-type MD5|HMAC-SHA256] k=v … sign=…
       wxpay-wasm verify --key KEY < notification.xml

The algorithm is --sign-type, else the sign_type field, else the sign's length.
Prints "valid" (exit 0) or "invalid" (exit 1).`,
};

const FLAGS = new Set(['help', 'h', 'xml', 'log-bodies', 'quiet', 'no-notify', 'after', 'clear', 'notify']);
/** Options that may be given more than once; their values are collected in order. */
const MULTI = new Set(['header']);

class UsageError extends WxPayError {
  constructor(message) {
    super('INVALID_PARAM', message);
  }
}

function parseArgs(argv) {
  const opts = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--?([a-z][a-z0-9-]*)(?:=(.*))?$/i.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const [, name, inline] = m;
    let value;
    if (FLAGS.has(name)) value = true;
    else if (inline !== undefined) value = inline;
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`--${name} needs a value`);
    opts[name] = MULTI.has(name) ? [...(opts[name] ?? []), value] : value;
  }
  return { opts, rest };
}

function apiKey(opts) {
  const key = opts.key ?? process.env.WXPAY_KEY;
  if (!key) throw new UsageError('the API key is missing: pass --key KEY or set WXPAY_KEY');
  return key;
}

function signType(opts) {
  const t = opts['sign-type'];
  if (t !== undefined && t !== 'MD5' && t !== 'HMAC-SHA256')
    throw new UsageError(`--sign-type must be MD5 or HMAC-SHA256, got ${t}`);
  return t;
}

/** Parameters from k=v arguments, else from JSON or XML on stdin. */
async function readParams(rest) {
  if (rest.length) {
    const out = {};
    for (const a of rest) {
      const eq = a.indexOf('=');
      if (eq <= 0) throw new UsageError(`expected k=v, got ${JSON.stringify(a)}`);
      out[a.slice(0, eq)] = a.slice(eq + 1);
    }
    return out;
  }
  if (process.stdin.isTTY) throw new UsageError('no parameters: give k=v arguments or JSON / XML on stdin');
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new UsageError('stdin is empty: give k=v arguments or JSON / XML on stdin');
  if (text.startsWith('<')) return wx.parseXml(text);
  let obj;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new WxPayError('INVALID_PARAM', `stdin is neither XML nor JSON: ${e.message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new WxPayError('INVALID_PARAM', 'stdin JSON must be an object of parameters');
  return obj;
}

const cliV3 = createCliV3({ UsageError, WxPayError });

/** `--api v3` hands the command to the v3 CLI (js/cli/v3.mjs); `--api v2` is the default. */
function api(opts) {
  const a = opts.api ?? 'v2';
  if (a !== 'v2' && a !== 'v3') throw new UsageError(`--api must be v2 or v3, got ${a}`);
  if (a === 'v2') delete opts.api;
  return a;
}

async function cmdSign(opts, rest) {
  if (api(opts) === 'v3') return cliV3.sign(opts, rest);
  const key = apiKey(opts);
  const type = signType(opts);
  const params = await readParams(rest);
  delete params.sign;
  const sign = wx.sign(params, key, type ?? params.sign_type ?? 'MD5');
  console.log(opts.xml ? wx.toXml({ ...params, sign }) : sign);
  return 0;
}

async function cmdVerify(opts, rest) {
  if (api(opts) === 'v3') return cliV3.verify(opts, rest);
  const key = apiKey(opts);
  const params = await readParams(rest);
  if (!params.sign) throw new WxPayError('SIGN_MISSING', 'the parameters have no `sign` to verify');
  const ok = wx.verify(params, key, signType(opts));
  console.log(ok ? 'valid' : 'invalid');
  return ok ? 0 : 1;
}

async function cmdNotify(opts, rest) {
  if (api(opts) === 'v3') return cliV3.notify(opts, rest);
  const key = apiKey(opts);
  if (!opts.url) throw new UsageError('--url is required: the merchant notify_url to POST to');
  const fields = await readParams(rest);
  fields.nonce_str ??= wx.nonceStr();
  const xml = wx.buildNotifyXml(fields, { key, signType: signType(opts) });
  let res;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      body: xml,
      headers: { 'content-type': 'text/xml' },
      signal: AbortSignal.timeout(10000),
    });
  } catch (e) {
    console.error(`wxpay-wasm notify: cannot reach ${opts.url}: ${e.cause?.code || e.message}`);
    return 1;
  }
  const text = await res.text();
  console.log(`HTTP ${res.status}\n${text}`);
  let code;
  try {
    code = wx.parseXml(text).return_code;
  } catch {
    code = undefined;
  }
  if (code === 'SUCCESS') return 0;
  console.error(
    `wxpay-wasm notify: the merchant did not acknowledge (return_code ${code ?? 'missing: the reply is not WeChat XML'}); WeChat would retry`,
  );
  return 1;
}

async function startMock(opts) {
  const scale = opts['time-scale'] === undefined ? 1 : Number(opts['time-scale']);
  if (!(scale > 0)) throw new UsageError(`--time-scale must be a positive number, got ${opts['time-scale']}`);
  const port = opts.port === undefined ? 9080 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0..65535, got ${opts.port}`);
  const key = apiKey(opts);
  const v3Mode = opts['v3-keys'] ?? 'pubkey';
  const miniprogram = miniprogramOptions(opts); // before the keys folder is made: a usage error leaves nothing
  if (!V3_KEY_MODES.includes(v3Mode))
    throw new UsageError(`--v3-keys must be one of ${V3_KEY_MODES.join(', ')}, got ${v3Mode}`);
  let v3Keys;
  try {
    v3Keys = loadV3Keys(opts['keys-dir'], { mchid: opts['mch-id'], appid: opts.appid });
  } catch (e) {
    console.error(`wxpay-wasm mock: cannot use the v3 keys: ${e.message}`);
    return 1;
  }
  for (const [flag, name] of [
    ['mch-id', 'mchid'],
    ['appid', 'appid'],
  ]) {
    if (opts[flag] !== undefined && opts[flag] !== v3Keys.config[name]) {
      console.error(
        `wxpay-wasm mock: warning: --${flag} ${opts[flag]} applies to v2 only; v3 uses ${name} ${v3Keys.config[name]} from ${v3Keys.dir}/wechatpay.json`,
      );
    }
  }
  console.log(
    `[mock] v3 keys in ${v3Keys.dir} (mode ${v3Mode}, mchid ${v3Keys.config.mchid}, serial_no ${v3Keys.config.serialNo}, ${v3Keys.config.publicKeyId}, platform certificate ${v3Keys.config.platformSerial})${v3Keys.created.length ? `; created ${v3Keys.created.join(', ')}` : ''}`,
  );
  let mock;
  try {
    mock = createMock({
      wx,
      key,
      v3Keys,
      v3Mode,
      mchId: opts['mch-id'],
      appid: opts.appid,
      timeScale: scale,
      stateFile: opts.state,
      refundDelay: opts['refund-delay'] === undefined ? undefined : Number(opts['refund-delay']),
      logBodies: !!opts['log-bodies'],
      miniprogram,
      log: opts.quiet ? () => {} : (line) => console.log(line),
    });
  } catch (e) {
    if (/^(miniprogram push|unknown miniprogram option)/.test(e.message)) throw new UsageError(e.message);
    throw e;
  }
  const stop = async (why) => {
    console.log(`[mock] stopping (${why})`);
    setTimeout(() => process.exit(1), 5000).unref(); // a close that hangs must not keep the port
    await mock.close();
  };
  // SIGINT, SIGTERM, SIGHUP, or the npx launcher above us exiting: close, exit 128 + signal.
  // Installed before listening, so a signal right after the "listening on" line is never missed.
  endOnSignalsAndLauncher(stop);
  let url;
  try {
    url = await mock.listen(port, opts.host ?? '127.0.0.1');
  } catch (e) {
    if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES' && e.code !== 'EADDRNOTAVAIL') throw e;
    console.error(
      `wxpay-wasm mock: cannot listen on ${opts.host ?? '127.0.0.1'}:${port} (${e.code}); pick another --port`,
    );
    return 1;
  }
  if (opts.quiet) console.log(`[mock] listening on ${url}`); // scripts wait for this line
  if (opts['exit-after'] !== undefined) {
    setTimeout(
      () => stop(`--exit-after ${opts['exit-after']}s`).finally(() => process.exit(0)),
      Number(opts['exit-after']) * 1000,
    ).unref();
  }
  return new Promise(() => {}); // runs until stopped
}

const CONTROL = {
  health: ['GET', () => '/_mock/health'],
  orders: ['GET', () => '/_mock/orders'],
  order: ['GET', (id) => `/_mock/orders/${id}`],
  refunds: ['GET', () => '/_mock/refunds'],
  refund: ['GET', (id) => `/_mock/refunds/${id}`],
  reset: ['POST', () => '/_mock/reset'],
  pay: ['POST', (id) => `/_mock/orders/${id}/pay`, true],
  fail: ['POST', (id) => `/_mock/orders/${id}/fail`, true],
  expire: ['POST', (id) => `/_mock/orders/${id}/expire`, true],
  notify: ['POST', (id) => `/_mock/orders/${id}/notify`, true],
  'complete-refund': ['POST', (id) => `/_mock/refunds/${id}/complete`, true],
  'notify-refund': ['POST', (id) => `/_mock/refunds/${id}/notify`, true],
  fault: ['POST', () => '/_mock/faults'],
  faults: ['GET', () => '/_mock/faults'],
  // The mini-program platform (js/mock/miniprogram/control.mjs).
  mp: ['GET', () => '/_mock/miniprogram'],
  'mp-login': ['POST', () => '/_mock/miniprogram/login'],
  'mp-orders': ['GET', () => '/_mock/miniprogram/orders'],
  'confirm-receive': ['POST', (id) => `/_mock/miniprogram/orders/${id}/confirm-receive`, true],
  'mp-push': ['POST', () => '/_mock/miniprogram/push'],
  'mp-pushes': ['GET', () => '/_mock/miniprogram/pushes'],
  'push-config': ['POST', () => '/_mock/miniprogram/push-config'],
  // --- mockproducts: the v3 products (js/mock/control/products.mjs); [method, path, needsId, body(id, opts)]
  transfers: ['GET', () => '/_mock/transfers'],
  transfer: ['GET', (id) => `/_mock/transfers/${id}`, true],
  'confirm-transfer': ['POST', (id) => `/_mock/transfers/${id}/confirm`, true],
  'reject-transfer': ['POST', (id) => `/_mock/transfers/${id}/reject`, true],
  complaints: ['GET', () => '/_mock/complaints'],
  complain: ['POST', () => '/_mock/complaints', true, (id, o) => ({ out_trade_no: id, detail: o.detail })],
  sharing: ['GET', () => '/_mock/profitsharing'],
  'sharing-notify-url': ['POST', () => '/_mock/profitsharing/notify-url', true, (id) => ({ url: id })],
  'finish-sharing': ['POST', (id) => `/_mock/profitsharing/${id}/finish`, true],
  media: ['GET', () => '/_mock/media'],
  // --- end mockproducts
};

/** The mini-program control calls' body fields, by flag. */
const MP_BODY = {
  openid: 'openid',
  unionid: 'unionid',
  event: 'event',
  'transaction-id': 'transaction_id',
  'mp-push-url': 'url',
  'mp-push-token': 'token',
  'mp-push-aes-key': 'encodingAESKey',
  'mp-push-mode': 'mode',
  'mp-push-format': 'format',
};

/** The mock's `miniprogram` option from the --mp-* flags (undefined ones left to the mock's defaults). */
function miniprogramOptions(opts) {
  const mp = {};
  if (opts['mp-appid'] !== undefined) mp.appid = opts['mp-appid'];
  if (opts['mp-secret'] !== undefined) mp.secret = opts['mp-secret'];
  if (opts['mp-app-key'] !== undefined) mp.appKey = opts['mp-app-key'];
  if (opts['mp-push-url'] !== undefined) {
    mp.push = { url: opts['mp-push-url'], token: opts['mp-push-token'], mode: opts['mp-push-mode'] ?? 'safe' };
    if (opts['mp-push-aes-key'] !== undefined) mp.push.encodingAESKey = opts['mp-push-aes-key'];
    if (opts['mp-push-format'] !== undefined) mp.push.format = opts['mp-push-format'];
  } else if (
    ['mp-push-token', 'mp-push-aes-key', 'mp-push-mode', 'mp-push-format'].some((k) => opts[k] !== undefined)
  ) {
    throw new UsageError('the --mp-push-* flags need --mp-push-url');
  }
  return mp;
}

async function cmdMock(opts, rest) {
  if (!rest.length) return startMock(opts);
  const [action, id] = rest;
  const entry = CONTROL[action];
  if (!entry) throw new UsageError(`unknown mock action ${JSON.stringify(action)}; see wxpay-wasm mock --help`);
  const [path, needsId] = entry.slice(1);
  const method = action === 'faults' && opts.clear ? 'DELETE' : entry[0];
  if (action === 'fault' && opts.kind === undefined)
    throw new UsageError('mock fault needs --kind drop|system_error|slow|tamper-bill');
  if ((needsId || action === 'order' || action === 'refund') && !id)
    throw new UsageError(
      `mock ${action} needs an id (${action === 'confirm-receive' ? 'transaction_id' : 'out_trade_no, out_refund_no, out_bill_no, out_order_no or URL'})`,
    );
  const body = {};
  if (opts['no-notify']) body.notify = false;
  for (const k of ['kind', 'status']) if (opts[k] !== undefined) body[k] = opts[k];
  for (const [flag, field] of Object.entries(MP_BODY)) if (opts[flag] !== undefined) body[field] = opts[flag];
  for (const k of ['delay', 'amount', 'count']) if (opts[k] !== undefined) body[k] = Number(opts[k]);
  if (opts['delay-ms'] !== undefined) body.delayMs = Number(opts['delay-ms']);
  if (opts.after) body.after = true;
  for (const k of ['path', 'method']) if (opts[k] !== undefined) body[k] = opts[k];
  Object.assign(body, entry[3]?.(id, opts));
  const base = opts.url ?? process.env.WXPAY_MOCK_URL ?? DEFAULT_MOCK;
  let res;
  try {
    res = await fetch(new URL(path(encodeURIComponent(id ?? '')), base), {
      method,
      body: method === 'POST' ? JSON.stringify(body) : undefined,
      headers: { 'content-type': 'application/json' },
    });
  } catch (e) {
    console.error(
      `wxpay-wasm mock ${action}: no mock at ${base} (${e.cause?.code || e.message}); start one with "wxpay-wasm mock --key KEY"`,
    );
    return 1;
  }
  const text = await res.text();
  if (!res.ok) {
    let msg = text;
    try {
      msg = JSON.parse(text).error;
    } catch {
      /* keep the raw text */
    }
    console.error(`wxpay-wasm mock ${action}: ${msg}`);
    return 1;
  }
  process.stdout.write(text);
  return 0;
}

/**
 * The flags each v2 command reads (`--api v3` commands check theirs in js/cli/v3.mjs): any other
 * flag is refused, so a typo (`--sign_type`) never silently changes what is signed or sent.
 */
const V2_FLAGS = {
  sign: ['api', 'key', 'sign-type', 'xml'],
  verify: ['api', 'key', 'sign-type'],
  notify: ['api', 'key', 'sign-type', 'url'],
  mock: [
    'key',
    'port',
    'host',
    'v3-keys',
    'keys-dir',
    'mch-id',
    'appid',
    'time-scale',
    'state',
    'refund-delay',
    'log-bodies',
    'quiet',
    'exit-after',
    'mp-appid',
    'mp-secret',
    'mp-app-key',
    'mp-push-url',
    'mp-push-token',
    'mp-push-aes-key',
    'mp-push-mode',
    'mp-push-format',
  ],
  'mock control': [
    'url',
    'no-notify',
    'kind',
    'status',
    'delay',
    'amount',
    'count',
    'delay-ms',
    'after',
    'clear',
    'path',
    'method',
    ...Object.keys(MP_BODY),
    'detail',
  ],
};

function refuseUnknownFlags(command, opts, rest) {
  // --api v3: js/cli/v3.mjs checks its own flags; another --api value: the command refuses it.
  if (command !== 'mock' && opts.api !== undefined && opts.api !== 'v2') return;
  const table = command === 'mock' && rest.length ? 'mock control' : command;
  const unknown = Object.keys(opts).filter((k) => !V2_FLAGS[table].includes(k));
  if (unknown.length)
    throw new UsageError(
      `${table === 'mock control' ? `mock ${rest[0]}` : command} does not take ${unknown.map((k) => `--${k}`).join(', ')}`,
    );
}

const COMMANDS = { mock: cmdMock, notify: cmdNotify, sign: cmdSign, verify: cmdVerify };

async function main(argv) {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`wxpay-wasm: unknown command ${JSON.stringify(command)}\n\n${HELP.main}`);
    return 2;
  }
  try {
    const { opts, rest } = parseArgs(args);
    if (opts.help || opts.h) {
      console.log(HELP_V3[command] ? `${HELP[command]}\n\n${HELP_V3[command]}` : HELP[command]);
      return 0;
    }
    refuseUnknownFlags(command, opts, rest);
    return await run(opts, rest);
  } catch (e) {
    if (!(e instanceof WxPayError)) throw e;
    console.error(
      `wxpay-wasm ${command}: ${e.code}: ${e.message}${e instanceof UsageError ? `\nSee wxpay-wasm ${command} --help` : ''}`,
    );
    return e instanceof UsageError ? 2 : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`wxpay-wasm: unexpected error: ${e.stack || e}`);
    process.exitCode = 1;
  },
);
