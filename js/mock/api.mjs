// WeChat Pay v2 endpoints: each handler takes the request's verified fields and returns
// the reply's business fields (the server signs them) or throws a MockError. The handlers
// live in v2/ (orders.mjs, refunds.mjs, bill.mjs; checks.mjs holds WeChat's field checks)
// and take the context { store, config, events } made here as their first argument.
import { downloadbill } from './v2/bill.mjs';
import { closeorder, orderFields, orderquery, unifiedorder } from './v2/orders.mjs';
import { refund, refundquery } from './v2/refunds.mjs';

/** Fields every signed request carries; getsignkey has no appid. */
export const ENVELOPE = {
  '/pay/unifiedorder': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/orderquery': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/closeorder': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/secapi/pay/refund': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/refundquery': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/pay/downloadbill': ['appid', 'mch_id', 'nonce_str', 'sign'],
  '/sandboxnew/pay/getsignkey': ['mch_id', 'nonce_str', 'sign'],
};

/** The sandbox key a merchant would use against /sandboxnew; stable per API key. */
function getsignkey({ config }, f) {
  return { mch_id: f.mch_id, sandbox_signkey: config.sandboxKey };
}

/** The handler of each v2 path, bound to one mock's { store, config, events }; orderFields for the control interface. */
export function createApi({ store, config, events }) {
  const ctx = { store, config, events };
  return {
    '/pay/unifiedorder': (f) => unifiedorder(ctx, f),
    '/pay/orderquery': (f) => orderquery(ctx, f),
    '/pay/closeorder': (f) => closeorder(ctx, f),
    '/secapi/pay/refund': (f) => refund(ctx, f),
    '/pay/refundquery': (f) => refundquery(ctx, f),
    '/pay/downloadbill': (f) => downloadbill(ctx, f),
    '/sandboxnew/pay/getsignkey': (f) => getsignkey(ctx, f),
    orderFields,
  };
}
