// A Bun server receiving WeChat Pay v2 payment notifications (POST /wxpay/notify):
//   bun server.mjs
// `wxpay-wasm` resolves to its "bun" entry (the Node build, synchronous: no init needed).
import { verifyNotify, notifyReply } from 'wxpay-wasm';

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
  async fetch(request) {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/wxpay/notify')
      return new Response('not found', { status: 404 });
    const body = new Uint8Array(await request.arrayBuffer());
    try {
      const n = verifyNotify(body, { key: process.env.WXPAY_KEY, mchId: process.env.WXPAY_MCH_ID });
      if (n.paid) console.log(`paid: ${n.out_trade_no} ${n.transaction_id}`); // mark it paid, idempotently
      return new Response(notifyReply(true), { headers: { 'content-type': 'text/xml' } });
    } catch (e) {
      console.log(`refused notification: ${e.code}`);
      return new Response(notifyReply(false, e.code), { headers: { 'content-type': 'text/xml' } });
    }
  },
});
console.log(`listening on ${server.url}`);
