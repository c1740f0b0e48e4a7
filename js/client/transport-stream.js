// The client transport's streaming mode, for v3 downloads (bills of 100 MB): a separate
// module so the v2 entry's bundle, which shares transport.js, does not carry it.
import { headerObject, netError, reason, timeoutError } from './transport.js';

/**
 * Streaming mode (v3 downloads): fetch only, GET-like. Resolves at the answer's headers with
 * `{ status, headers, body: ReadableStream<Uint8Array> }`, the body not read. `timeoutMs`
 * bounds the wait for the headers and then each wait for a chunk the reader asked for (a
 * 100 MB bill may take longer than timeoutMs in all, and a slow consumer may pause as long as
 * it likes, but the network never stalls longer than it); reading the body is the caller's,
 * and so is its size limit. Only the v3 client imports it (js/v3/client.js), so the
 * v2 download does not carry it.
 */
async function streamFetch(fetch, timeoutMs, { method, url, headers }) {
  const what = `${method} ${url.split('?')[0]}`;
  const abort = new AbortController();
  let timedOut = false;
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
  };
  arm();
  let res;
  try {
    res = await fetch(url, { method, headers, signal: abort.signal, redirect: 'manual' });
  } catch (e) {
    clearTimeout(timer);
    if (timedOut) throw timeoutError(what, timeoutMs);
    throw netError(what, reason(e));
  }
  clearTimeout(timer);
  const reader = res.body?.getReader();
  const body = new ReadableStream({
    async pull(controller) {
      arm(); // only while a chunk is awaited: the consumer's own pauses are not the network's
      try {
        const { done, value } = reader ? await reader.read() : { done: true };
        clearTimeout(timer);
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        clearTimeout(timer);
        controller.error(timedOut ? timeoutError(what, timeoutMs) : netError(what, reason(e)));
      }
    },
    cancel(why) {
      clearTimeout(timer);
      return reader?.cancel(why).catch(() => {});
    },
  });
  return { status: res.status, headers: headerObject(res.headers), body };
}

export { streamFetch };
