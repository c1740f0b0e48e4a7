// The control interface for the v3 products (see ../v3/products.mjs): the user who confirms or
// rejects a transfer, the payer who complains, the receivers' notify URL and the end of a
// profit-sharing order, and views of what the mock holds. `ctx` is the control interface's.
//   GET  /_mock/transfers[/:out_bill_no]             transfers, with their query and attempts
//   POST /_mock/transfers/:out_bill_no/confirm       the user accepts in WeChat → SUCCESS (+ callback)
//   POST /_mock/transfers/:out_bill_no/reject        the user declines → FAIL (+ callback)
//   GET  /_mock/profitsharing                        profit-sharing orders and returns
//   POST /_mock/profitsharing/notify-url {url}       where 分账动账通知 go (the receivers' setting)
//   POST /_mock/profitsharing/:out_order_no/finish   FINISHED now (when --refund-delay is negative)
//   GET  /_mock/complaints                           complaints with their history and attempts
//   POST /_mock/complaints {out_trade_no, detail?, amount?}   the payer complains (COMPLAINT.CREATE)
//   GET  /_mock/media                                uploaded media (ids, names, sha256, sizes)
import { HttpError } from './errors.mjs';

/** The v3 module's plain Errors as HTTP: not found 404, a state that forbids it 409, bad input 400. */
function call(fn) {
  try {
    return fn();
  } catch (e) {
    if (/not found/.test(e.message)) throw new HttpError(404, e.message);
    if (/already/.test(e.message)) throw new HttpError(409, e.message);
    if (/must be/.test(e.message)) throw new HttpError(400, e.message);
    throw e;
  }
}

function oneTransfer({ v3 }, no) {
  const t = v3.products.transfers().find((x) => x.out_bill_no === no);
  if (!t) throw new HttpError(404, `no transfer with out_bill_no ${no}`);
  return t;
}

/** [method, path, handler(ctx, match, jsonBody)], appended to control.mjs's ROUTES. */
export const PRODUCT_CONTROL_ROUTES = [
  ['GET', /^\/_mock\/transfers$/, ({ v3 }) => v3.products.transfers()],
  ['GET', /^\/_mock\/transfers\/([^/]+)$/, (ctx, m) => oneTransfer(ctx, m[1])],
  ['POST', /^\/_mock\/transfers\/([^/]+)\/confirm$/, ({ v3 }, m) => call(() => v3.products.transferAnswer(m[1], true))],
  ['POST', /^\/_mock\/transfers\/([^/]+)\/reject$/, ({ v3 }, m) => call(() => v3.products.transferAnswer(m[1], false))],
  ['GET', /^\/_mock\/profitsharing$/, ({ v3 }) => v3.products.sharing()],
  ['POST', /^\/_mock\/profitsharing\/notify-url$/, ({ v3 }, _m, b) => call(() => v3.products.sharingNotifyUrl(b.url))],
  ['POST', /^\/_mock\/profitsharing\/([^/]+)\/finish$/, ({ v3 }, m) => call(() => v3.products.finishSharing(m[1]))],
  ['GET', /^\/_mock\/complaints$/, ({ v3 }) => v3.products.complaints()],
  ['POST', /^\/_mock\/complaints$/, ({ v3 }, _m, b) => call(() => v3.products.openComplaint(b))],
  ['GET', /^\/_mock\/media$/, ({ v3 }) => v3.products.media()],
];
