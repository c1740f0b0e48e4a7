// The v3 client's files (issue 27) in every runtime: a bill in both steps (plain and GZIP),
// tampered and SM3 downloads, and a media upload, through a scripted `fetch`. What makes
// this worth running everywhere: outside Node the bill's digest is the package's own
// JavaScript SHA-1 / SM3 and the upload's body its own multipart builder. The expected
// digests are WebCrypto's SHA-1 (one-shot) and GB/T 32905-2016's SM3 examples; the upload's
// meta signature is verified with crypto.subtle and the merchant public key.
import { assert } from '../harness.mjs';
import { GENERATED as G, parseAuthorization, rsaVerify } from './reference.mjs';
import { MERCHANT_SERIAL, signedAnswer, v3Client } from './client.mjs';

const BASE = 'https://api.mch.weixin.qq.com';
const utf8 = (s) => new TextEncoder().encode(s);
const hexOf = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const sha1 = async (bytes) => hexOf(await crypto.subtle.digest('SHA-1', bytes));
/** GB/T 32905-2016's two examples. */
const SM3_ABC = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
const SM3_ABCD16 = 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732';

/** A bill of `n` lines in WeChat's layout. */
function billText(n) {
  const lines = ['交易时间,商户号,商户订单号,订单金额'];
  for (let i = 0; i < n; i++) lines.push(`\`2026-12-06 10:00:00,\`${G.mchid},\`order-${i},\`0.01`);
  return `${lines.join('\r\n')}\r\n`;
}

async function gzip(bytes) {
  const s = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/**
 * A fetch playing WeChat: each request's Authorization verified with the merchant public key
 * over its method, path+query and signed body (an upload's: the meta part, as received); then
 * `answer(request)` replies. `problems` collects what was wrong.
 */
function fakeWeChat(answer) {
  const problems = [];
  const calls = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    const headers = new Headers(init.headers);
    const a = parseAuthorization(headers.get('authorization'));
    const raw =
      init.body === undefined ? new Uint8Array(0) : new Uint8Array(await new Response(init.body).arrayBuffer());
    const multipart = /boundary=(.+)$/.exec(headers.get('content-type') ?? '');
    const parts = multipart ? partsOf(raw, multipart[1]) : null;
    const signedBody = parts ? parts[0].text : new TextDecoder().decode(raw);
    const message = `${init.method}\n${u.pathname}${u.search}\n${a.timestamp}\n${a.nonce_str}\n${signedBody}\n`;
    if (a.serial_no !== MERCHANT_SERIAL || !(await rsaVerify(G.keys.merchant.public_spki, message, a.signature)))
      problems.push(`${u.pathname}: the Authorization does not verify`);
    calls.push({ path: `${u.pathname}${u.search}`, parts });
    return answer({ path: u.pathname, search: u.search, parts });
  };
  return { fetch, calls, verified: () => assert.deepEqual(problems, [], 'every Authorization as WeChat requires') };
}

/** A multipart body's parts: `{ head, bytes, text }` each. */
function partsOf(raw, boundary) {
  const text = new TextDecoder('latin1').decode(raw); // one char per byte: indexes are byte offsets
  const sep = `--${boundary}`;
  const parts = [];
  for (let at = text.indexOf(sep); text.slice(at + sep.length, at + sep.length + 2) !== '--'; ) {
    const next = text.indexOf(sep, at + sep.length);
    const start = at + sep.length + 2;
    const split = text.indexOf('\r\n\r\n', start);
    const bytes = raw.subarray(split + 4, next - 2);
    parts.push({ head: text.slice(start, split), bytes, text: new TextDecoder().decode(bytes) });
    at = next;
  }
  return parts;
}

/** Step 1 (signed) then step 2 (`file`, unsigned) of a bill whose digest is `hashValue`. */
const billScript =
  (file, hashValue, hashType = 'SHA1') =>
  async ({ path }) =>
    path.startsWith('/v3/bill/')
      ? signedAnswer(200, {
          hash_type: hashType,
          hash_value: hashValue,
          download_url: `${BASE}/v3/billdownload/file?token=T1`,
        })
      : new Response(file);

export default function files(test, { v3 }) {
  test('bill: both steps signed, the plain bill accepted by its SHA-1 (WebCrypto’s digest as the expected value)', async () => {
    const text = billText(200);
    const w = fakeWeChat(billScript(utf8(text), await sha1(utf8(text))));
    assert.equal(
      await v3Client(v3, w.fetch).bill('tradebill', { bill_date: '2026-12-06', sub_mchid: '1900000109' }),
      text,
    );
    w.verified();
    assert.deepEqual(
      w.calls.map((c) => c.path),
      ['/v3/bill/tradebill?bill_date=2026-12-06&sub_mchid=1900000109', '/v3/billdownload/file?token=T1'],
    );
  });

  test('bill: GZIP decompressed, its digest that of the original bill; a changed byte → HASH_MISMATCH', async (t) => {
    if (typeof CompressionStream !== 'function' || typeof DecompressionStream !== 'function')
      return t.skip('no CompressionStream/DecompressionStream here');
    const text = billText(500);
    const gz = await gzip(utf8(text));
    const good = fakeWeChat(billScript(gz, await sha1(utf8(text))));
    assert.equal(
      await v3Client(v3, good.fetch).bill('fundflowbill', { bill_date: '2026-12-06', tar_type: 'GZIP' }),
      text,
    );
    good.verified();
    const bad = utf8(text);
    bad[300] ^= 1;
    const w = fakeWeChat(billScript(bad, await sha1(utf8(text))));
    await assert.rejects(v3Client(v3, w.fetch).bill('tradebill', { bill_date: '2026-12-06' }), {
      code: 'HASH_MISMATCH',
    });
  });

  test('download: SM3 digests as GB/T 32905-2016 gives them; a wrong one → HASH_MISMATCH', async () => {
    const w = fakeWeChat(async ({ search }) => new Response(search.includes('abcd') ? 'abcd'.repeat(16) : 'abc'));
    const c = v3Client(v3, w.fetch);
    assert.deepEqual(
      await c.download('/v3/billdownload/file?token=abc', { hashType: 'SM3', hashValue: SM3_ABC }),
      utf8('abc'),
    );
    const long = await c.download(`${BASE}/v3/billdownload/file?token=abcd`, {
      hashType: 'SM3',
      hashValue: SM3_ABCD16,
    });
    assert.equal(long.byteLength, 64);
    await assert.rejects(c.download('/v3/billdownload/file?token=abc', { hashType: 'SM3', hashValue: SM3_ABCD16 }), {
      code: 'HASH_MISMATCH',
    });
    w.verified();
  });

  test('upload: multipart built by the package, meta signed exactly, sha256 right, the bytes intact', async () => {
    const png = crypto.getRandomValues(new Uint8Array(4096));
    png.set([0x89, 0x50, 0x4e, 0x47], 0);
    const w = fakeWeChat(async () => signedAnswer(200, { media_id: 'M1' }));
    assert.deepEqual(
      await v3Client(v3, w.fetch).upload('/v3/merchant/media/upload', { filename: 'a.png', data: png }),
      {
        media_id: 'M1',
      },
    );
    w.verified();
    const [meta, file] = w.calls[0].parts;
    assert.deepEqual(JSON.parse(meta.text), {
      filename: 'a.png',
      sha256: hexOf(await crypto.subtle.digest('SHA-256', png)),
    });
    assert.ok(file.head.includes('filename="a.png"') && file.head.includes('Content-Type: image/png'), file.head);
    assert.deepEqual(file.bytes, png);
  });
}
