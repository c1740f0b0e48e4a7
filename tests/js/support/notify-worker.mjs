// One worker of load.test.mjs: its own copy of the package (and so its own wasm
// instance) verifying notifications signed with its own key, valid and forged alternately.
// Worker 0 also feeds hostile bodies in between, which must not disturb the others.
import { parentPort, workerData } from 'node:worker_threads';
import { createHash, createHmac } from 'node:crypto';

import wxpay from '../../../pkg/node/index.mjs';

const { id, key, count } = workerData;

function refSign(fields, type) {
  const s = `${Object.keys(fields)
    .filter((k) => fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')}&key=${key}`;
  const h = type === 'MD5' ? createHash('md5').update(s) : createHmac('sha256', key).update(s);
  return h.digest('hex').toUpperCase();
}

function notify(i, type) {
  const f = {
    appid: 'wx1',
    mch_id: String(1000 + id),
    nonce_str: `n${i}`,
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    out_trade_no: `w${id}-${i}`,
    total_fee: String(1 + (i % 500)),
    transaction_id: `t${id}${i}`,
  };
  if (type !== 'MD5') f.sign_type = type;
  f.sign = refSign(f, type);
  return {
    xml: `<xml>${Object.entries(f)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join('')}</xml>`,
    f,
  };
}

const result = { id, ok: 0, refused: {}, wrong: [], memoryBefore: wxpay.__wasmMemoryBytes() };
for (let i = 0; i < count; i++) {
  const type = i % 4 < 2 ? 'MD5' : 'HMAC-SHA256';
  const { xml, f } = notify(i, type);
  const forged = i % 2 === 1;
  const body = forged
    ? xml.replace(`<total_fee>${f.total_fee}</total_fee>`, `<total_fee>${f.total_fee}0</total_fee>`)
    : xml;
  try {
    const got = wxpay.verifyNotify(body, { key, mchId: f.mch_id, outTradeNo: f.out_trade_no });
    if (forged || !got.paid || got.out_trade_no !== f.out_trade_no) result.wrong.push(i);
    else result.ok++;
  } catch (e) {
    if (!forged) result.wrong.push(`${i}: ${e.code} ${e.message}`);
    result.refused[e.code] = (result.refused[e.code] ?? 0) + 1;
  }
  if (id === 0 && i % 50 === 0) {
    for (const hostile of ['<!DOCTYPE x><xml/>', '<xml><a>1</a>', 'x'.repeat(70000)]) {
      try {
        wxpay.verifyNotify(hostile, { key });
        result.wrong.push(`hostile accepted at ${i}`);
      } catch {
        /* expected */
      }
    }
  }
}
result.memoryAfter = wxpay.__wasmMemoryBytes();
parentPort.postMessage(result);
