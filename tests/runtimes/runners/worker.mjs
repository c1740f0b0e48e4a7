// workerd (Cloudflare Workers), through `wrangler dev`: the package through its "workerd"
// condition, bundled by wrangler from the installed tarball. GET /suite runs the suite.
import * as wx from 'wxpay-wasm';
import * as v3 from 'wxpay-wasm/v3';
import * as mp from 'wxpay-wasm/miniprogram';
import { runSuite } from './self.mjs';

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== '/suite') return new Response('not found', { status: 404 });
    return new Response(await runSuite(wx, v3, 'workerd', {}, mp));
  },
};
