// A Deno server receiving WeChat Pay v2 payment notifications (POST /wxpay/notify):
//   deno run --allow-read --allow-env --allow-net server.mjs
// `wxpay-wasm` resolves to its "deno" entry (the Node build, synchronous: no init needed).
import { verifyNotify, notifyReply } from 'wxpay-wasm';

const key = Deno.env.get('WXPAY_KEY');
const port = Number(Deno.env.get('PORT') ?? 8000);

Deno.serve({ hostname: '127.0.0.1', port }, async (request) => {
  if (request.method !== 'POST' || new URL(request.url).pathname !== '/wxpay/notify')
    return new Response('not found', { status: 404 });
  const body = new Uint8Array(await request.arrayBuffer());
  try {
    const n = verifyNotify(body, { key, mchId: Deno.env.get('WXPAY_MCH_ID') });
    if (n.paid) console.log(`paid: ${n.out_trade_no} ${n.transaction_id}`); // mark it paid, idempotently
    return new Response(notifyReply(true), { headers: { 'content-type': 'text/xml' } });
  } catch (e) {
    console.log(`refused notification: ${e.code}`);
    return new Response(notifyReply(false, e.code), { headers: { 'content-type': 'text/xml' } });
  }
});
