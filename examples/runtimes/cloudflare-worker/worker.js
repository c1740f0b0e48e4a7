// A Cloudflare Worker receiving WeChat Pay v3 payment callbacks (POST /wxpay/notify).
// `wxpay-wasm/v3` resolves to its "workerd" entry: the wasm is bundled as a module, nothing
// is fetched. Secrets come from the Worker's environment (wrangler secret put …).
import { verifyNotify, notifyReply, WxPayError } from 'wxpay-wasm/v3';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/wxpay/notify')
      return new Response('not found', { status: 404 });
    // The raw body: the signature is over these exact bytes.
    const body = new Uint8Array(await request.arrayBuffer());
    let reply;
    try {
      const n = await verifyNotify(body, request.headers, {
        apiV3Key: env.WXPAY_API_V3_KEY,
        publicKeys: { [env.WXPAY_PUBLIC_KEY_ID]: env.WXPAY_PUBLIC_KEY },
        mchId: env.WXPAY_MCHID,
        appid: env.WXPAY_APPID,
      });
      if (n.paid) {
        // Mark n.resource.out_trade_no paid here (idempotently: WeChat retries).
        console.log(`paid: ${n.resource.out_trade_no} ${n.resource.transaction_id}`);
      }
      reply = await notifyReply(true);
    } catch (e) {
      if (!(e instanceof WxPayError)) throw e;
      console.log(`refused callback: ${e.code}`);
      reply = await notifyReply(false, e.code);
    }
    return new Response(reply.body || null, { status: reply.status, headers: reply.headers });
  },
};
