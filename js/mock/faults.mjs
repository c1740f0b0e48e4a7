// Faults on demand: the mock misbehaves the way a network or WeChat itself does, for the next
// N API calls (v2 XML paths and /v3/ alike; control calls under /_mock/ never), so a client's
// timeout, retry and "did it happen?" paths can be tested without waiting for a bad day.
//   POST   /_mock/faults {kind, count?, delayMs?, after?, path?, method?}   queue a fault (in order)
//   GET    /_mock/faults                                     the queue, and what fired
//   DELETE /_mock/faults                                     clear the queue and the record
// `after: true` carries the call out first (the order is created, the refund made), then
// misbehaves: the caller cannot know the outcome, as after a real timeout.
// `path` (a prefix of the URL path, e.g. /v3/fund-app/) and `method` (GET, POST, …) aim a
// fault: it fires only on matching calls, and other calls pass it by (the first matching
// fault in the queue fires). Without them a fault fires on the next call, whatever it is.
import { randomUUID } from 'node:crypto';
import { MockError } from './errors.mjs';

/** Each kind, and what a caller sees. The docs' table says the same. */
export const FAULT_KINDS = Object.freeze({
  drop: 'the connection is closed without an answer (fetch rejects)',
  system_error:
    'v2: return_code SUCCESS, result_code FAIL, err_code SYSTEMERROR (signed); v3: 500 SYSTEM_ERROR (signed)',
  slow: 'the answer comes after delayMs milliseconds',
  // mockproducts: aimed at bill downloads only, so it waits for the next GET /v3/billdownload/file.
  'tamper-bill': 'the next bill download (GET /v3/billdownload/file) has one byte flipped: its hash no longer matches',
});

const FIELDS = ['kind', 'count', 'delayMs', 'after', 'path', 'method'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_COUNT = 1000;
const MAX_DELAY_MS = 600000;
export const DEFAULT_DELAY_MS = 3000;
const MAX_HISTORY = 100;

export class FaultError extends Error {
  constructor(message) {
    super(message);
    this.status = 400;
  }
}

/** A fault request body, checked field by field; throws FaultError with the reason. */
export function parseFault(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new FaultError('a fault is a JSON object {"kind", "count", "delayMs", "after", "path", "method"}');
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length)
    throw new FaultError(
      `unknown fault field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; a fault has ${FIELDS.join(', ')}`,
    );
  const { kind, count = 1, delayMs, after = false } = body;
  if (!Object.hasOwn(FAULT_KINDS, kind))
    throw new FaultError(`kind must be one of ${Object.keys(FAULT_KINDS).join(', ')}, got ${JSON.stringify(kind)}`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
    throw new FaultError(
      `count must be an integer 1..${MAX_COUNT} (how many API calls the fault applies to), got ${JSON.stringify(count)}`,
    );
  if (
    kind === 'tamper-bill' &&
    (after || delayMs !== undefined || body.path !== undefined || body.method !== undefined)
  )
    throw new FaultError('tamper-bill takes count only (it waits for the next bill downloads)');
  if (typeof after !== 'boolean') throw new FaultError(`after must be true or false, got ${JSON.stringify(after)}`);
  if (delayMs !== undefined && kind !== 'slow') throw new FaultError(`delayMs applies to kind slow only, not ${kind}`);
  if (delayMs !== undefined && (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)) {
    throw new FaultError(
      `delayMs must be an integer 0..${MAX_DELAY_MS} (milliseconds, not scaled by --time-scale), got ${JSON.stringify(delayMs)}`,
    );
  }
  return {
    kind,
    count,
    after,
    ...(kind === 'slow' ? { delayMs: delayMs ?? DEFAULT_DELAY_MS } : {}),
    ...aim(body),
  };
}

/** The optional `path` prefix and `method` a fault is aimed at, checked. */
function aim({ path, method }) {
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('/_mock')))
    throw new FaultError(
      `path must be the start of an API path (e.g. "/v3/pay/transactions/native"; control paths are never faulted), got ${JSON.stringify(path)}`,
    );
  if (method !== undefined && !METHODS.includes(method))
    throw new FaultError(`method must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  return { ...(path === undefined ? {} : { path }), ...(method === undefined ? {} : { method }) };
}

/** Whether a queued fault applies to this call. */
const aimedAt = (f, method, path) =>
  (f.path === undefined || path.startsWith(f.path)) && (f.method === undefined || f.method === method);

/** A POST body of /_mock/faults as JSON. */
function faultBody(body) {
  try {
    return JSON.parse(body.toString('utf8') || 'null');
  } catch {
    throw new FaultError('a fault is a JSON body: {"kind":"drop","count":1}');
  }
}

/** A timer the mock can clear on stop (`timers`), as a promise. */
const sleep = (timers, ms) =>
  new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });

/**
 * Serves one API call under `fault`. `run()` carries the call out and gives its reply;
 * `systemError()` gives the SYSTEMERROR reply without carrying anything out; `send(reply)`
 * answers; `drop()` closes the connection with no answer.
 */
async function serveFault(timers, fault, { run, systemError, send, drop }) {
  if (fault.kind === 'slow') {
    if (fault.after) {
      const reply = await run();
      await sleep(timers, fault.delayMs);
      return send(reply);
    }
    await sleep(timers, fault.delayMs);
    return send(await run());
  }
  if (fault.after) await run();
  if (fault.kind === 'drop') return drop();
  return send(await systemError());
}

/** The /_mock/faults routes over a fault set's list, clear and add; undefined for any other path, so the caller routes on. */
function faultControl({ list, clear, add, log }) {
  function route(method, body) {
    if (method === 'GET') return { status: 200, json: list() };
    if (method === 'DELETE') {
      const cleared = clear();
      log(`faults cleared (${cleared} pending call${cleared === 1 ? '' : 's'} dropped from the queue)`);
      return { status: 200, json: { cleared, ...list() } };
    }
    if (method !== 'POST') {
      return { status: 405, json: { error: `${method} is not allowed on /_mock/faults (GET, POST, DELETE)` } };
    }
    const f = add(body);
    return { status: 200, json: { queued: { ...f }, ...list() } };
  }
  return (method, path, body) => {
    if (path !== '/_mock/faults') return undefined;
    try {
      return route(method, body);
    } catch (e) {
      if (!(e instanceof FaultError)) throw e;
      return { status: e.status, json: { error: e.message } };
    }
  };
}

export function createFaults({ log }) {
  let queue = []; // { id, kind, count (left), after, delayMs? }
  let history = []; // the last fired faults: { at, id, kind, after, method, path }
  let fired = zero();
  let nextId = 1;
  const tamper = createTamper(log); // mockproducts: kind tamper-bill
  const timers = new Set();

  function zero() {
    // tamper-bill is counted once it fires (mockproducts), so the queue's kinds read as before.
    return Object.fromEntries(Object.keys(FAULT_KINDS).flatMap((k) => (k === 'tamper-bill' ? [] : [[k, 0]])));
  }

  function list() {
    return {
      queue: queue.map((f) => ({ ...f })),
      fired: { ...fired },
      history: history.map((h) => ({ ...h })),
      tamperBills: tamper.left(),
    };
  }

  function clear() {
    const cleared = queue.reduce((n, f) => n + f.count, 0) + tamper.clear();
    queue = [];
    history = [];
    fired = zero();
    return cleared;
  }

  /** Queues one parsed fault (tamper-bill apart: it waits for bill downloads). */
  function add(body) {
    const f = { id: nextId++, ...parseFault(faultBody(body)) };
    if (f.kind === 'tamper-bill') tamper.add(f.count);
    else queue.push(f);
    log(
      `fault #${f.id} queued: ${describe(f)} for the next ${f.count} ${f.kind === 'tamper-bill' ? 'bill download ' : aimed(f)}call${f.count === 1 ? '' : 's'}`,
    );
    return f;
  }

  const control = faultControl({ list, clear, add, log });
  /** Takes the fault for this API call, if one is queued for it: counted, recorded and logged. */
  function take(method, path) {
    const i = queue.findIndex((f) => aimedAt(f, method, path));
    if (i < 0) return undefined;
    const f = queue[i];
    f.count -= 1;
    if (f.count === 0) queue.splice(i, 1);
    fired[f.kind] += 1;
    history.push({
      at: new Date().toISOString(),
      id: f.id,
      kind: f.kind,
      after: f.after,
      ...(f.delayMs === undefined ? {} : { delayMs: f.delayMs }),
      method,
      path,
    });
    if (history.length > MAX_HISTORY) history.shift();
    log(`fault #${f.id} fires on ${method} ${path}: ${describe(f)} (${f.count} more from it)`);
    return { kind: f.kind, after: f.after, delayMs: f.delayMs };
  }

  /** Ends pending slow answers' timers so the mock can close at once. */
  function stop() {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  }

  const serve = (fault, how) => serveFault(timers, fault, how);
  /** True when this bill download is to be tampered (kind tamper-bill); counted in `fired`. */
  const takeTamperBill = (path) => {
    if (!tamper.take(path)) return false;
    fired['tamper-bill'] = (fired['tamper-bill'] ?? 0) + 1;
    return true;
  };
  return { control, take, serve, clear, list, stop, takeTamperBill };
}

/**
 * mockproducts: the tamper-bill faults, counted apart from the queue, since they wait for the
 * next bill downloads (GET /v3/billdownload/file) whatever calls come first.
 */
function createTamper(log) {
  let left = 0;
  return {
    add: (n) => {
      left += n;
    },
    left: () => left,
    clear: () => {
      const n = left;
      left = 0;
      return n;
    },
    take: (path) => {
      if (!left) return false;
      left -= 1;
      log(`fault tamper-bill fires on GET ${path}: one byte of the bill flipped (${left} more)`);
      return true;
    },
  };
}

function aimed(f) {
  if (f.path === undefined && f.method === undefined) return 'API ';
  return `${f.method ?? 'API'} ${f.path === undefined ? '' : `${f.path}… `}`;
}

function describe(f) {
  return `${f.kind}${f.kind === 'slow' ? ` ${f.delayMs} ms` : ''}${f.after ? ' after carrying the call out' : ''}`;
}

/** A v2 handler that fails the way WeChat does when it is down: a signed result-level SYSTEMERROR (downloadbill has no result level: return_code FAIL). */
export function v2SystemError(path) {
  return () => {
    throw new MockError('SYSTEMERROR', '系统错误', { envelope: path === '/pay/downloadbill' });
  };
}

/** v3's answer when WeChat is down: 500 SYSTEM_ERROR, signed like every v3 answer. */
export function v3SystemError(signatureHeaders, log, method, pathAndQuery) {
  const body = JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统错误' });
  log(`v3 ${method} ${pathAndQuery} → 500 SYSTEM_ERROR (fault on demand)`);
  return {
    status: 500,
    headers: { ...signatureHeaders(body), 'Request-ID': `mock-${randomUUID()}`, 'Content-Type': 'application/json' },
    body,
  };
}
