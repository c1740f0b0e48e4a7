// 分账 profit sharing (issue 27 item 6): orders, their query, returns, unfreeze, the amount
// left to share, and receivers — direct, or a service provider's with `sub_mchid`. A
// receiver's `name` is given as plain text and sent encrypted with the platform key the
// request names. A lost answer to an order, a return or an unfreeze is settled by its query
// (each has its own out_… number); adding or removing a receiver surfaces as an unknown
// outcome. `c` is the client's context (see client.js).
import { WxPayError, isPlainObject } from '../core/index.js';
import { requestFields, requiredText } from '../client/fields.js';
import { answers, callProduct, foundBy } from './client-products.js';

/** The query of a profit-sharing order: `{ out_order_no, transaction_id, sub_mchid? }`. */
async function queryOrder(c, q) {
  const api = 'profitSharing.query';
  if (!isPlainObject(q))
    throw new WxPayError('INVALID_PARAM', `${api}: give { out_order_no, transaction_id, sub_mchid? }`);
  const no = requiredText(api, q.out_order_no, 'out_order_no');
  return callProduct(c, api, {
    params: { out_order_no: no },
    query: { sub_mchid: q.sub_mchid, transaction_id: requiredText(api, q.transaction_id, 'transaction_id') },
    ref: no,
    expect: answers('out_order_no', no),
  });
}

/** The query of a return: `{ out_return_no, out_order_no, sub_mchid? }`. */
async function queryReturn(c, q) {
  const api = 'profitSharing.queryReturn';
  if (!isPlainObject(q))
    throw new WxPayError('INVALID_PARAM', `${api}: give { out_return_no, out_order_no, sub_mchid? }`);
  const no = requiredText(api, q.out_return_no, 'out_return_no');
  return callProduct(c, api, {
    params: { out_return_no: no },
    query: { sub_mchid: q.sub_mchid, out_order_no: requiredText(api, q.out_order_no, 'out_order_no') },
    ref: no,
    expect: answers('out_return_no', no),
  });
}

/** An order or an unfreeze (both make a profit-sharing order with out_order_no). */
async function sharingOrder(c, name, fields) {
  const f = requestFields(name, fields);
  const q = { out_order_no: f.out_order_no, transaction_id: f.transaction_id, sub_mchid: f.sub_mchid };
  return callProduct(c, name, {
    fields: f,
    ref: f.out_order_no,
    expect: answers('out_order_no', f.out_order_no),
    resolve: foundBy(() => queryOrder(c, q), 'RESOURCE_NOT_EXISTS', 'NOT_FOUND'),
  });
}

function profitSharingMethods(c) {
  return Object.freeze({
    order: async (o) => sharingOrder(c, 'profitSharing.order', o),
    query: async (q) => queryOrder(c, q),
    return: async (r) => {
      const f = requestFields('profitSharing.return', r);
      // Its query needs out_order_no: a return given by order_id alone is not settled by a query.
      const q = { out_return_no: f.out_return_no, out_order_no: f.out_order_no, sub_mchid: f.sub_mchid };
      return callProduct(c, 'profitSharing.return', {
        fields: f,
        ref: f.out_return_no,
        expect: answers('out_return_no', f.out_return_no),
        resolve:
          f.out_order_no === undefined
            ? undefined
            : foundBy(() => queryReturn(c, q), 'RESOURCE_NOT_EXISTS', 'NOT_FOUND'),
      });
    },
    queryReturn: async (q) => queryReturn(c, q),
    unfreeze: async (u) => sharingOrder(c, 'profitSharing.unfreeze', u),
    amounts: async (transactionId) =>
      callProduct(c, 'profitSharing.amounts', {
        params: { transaction_id: requiredText('profitSharing.amounts', transactionId, 'transactionId') },
        ref: transactionId,
        expect: answers('transaction_id', transactionId),
      }),
    addReceiver: async (r) => callProduct(c, 'profitSharing.addReceiver', { fields: r }),
    removeReceiver: async (r) => callProduct(c, 'profitSharing.removeReceiver', { fields: r }),
  });
}

export { profitSharingMethods };
