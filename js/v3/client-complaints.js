// 消费者投诉 2.0 (issue 27 item 6): list, detail, negotiation history, reply, complete, and
// the complaint callback URL. `complainted_mchid` defaults to the client's mchId (a service
// provider gives its sub-merchant's). A complaint's `payer_phone` comes encrypted to the
// merchant key: `client.decrypt(detail.payer_phone)`. Images are branch files' download.
// Replies and completions have no query: a lost answer surfaces as an unknown outcome.
// `c` is the client's context (see client.js).
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { requestFields, requiredText } from '../client/fields.js';
import { answers, callProduct } from './client-products.js';

/** A query object (list, history): a plain object or nothing. */
function queryOf(api, q) {
  if (q === undefined) return undefined;
  if (!isPlainObject(q))
    throw new WxPayError('INVALID_PARAM', `${api}: the query must be a plain object, got ${describe(q)}`);
  return q;
}

const idOf = (api, id) => ({ complaint_id: requiredText(api, id, 'complaintId') });

function complaintMethods(c) {
  const own = (fields) => ({ complainted_mchid: c.mchId, ...fields });
  return Object.freeze({
    /** `{ begin_date, end_date, limit?, offset?, complainted_mchid? }` (dates yyyy-MM-dd, at most 30 days apart). */
    list: async (q) => {
      const query = queryOf('complaints.list', q);
      for (const field of ['begin_date', 'end_date'])
        if (query?.[field] === undefined)
          throw new WxPayError('MISSING_FIELD', `complaints.list: ${field} is required`, { field });
      return callProduct(c, 'complaints.list', { query });
    },
    detail: async (id) =>
      callProduct(c, 'complaints.detail', {
        params: idOf('complaints.detail', id),
        ref: id,
        expect: answers('complaint_id', id),
      }),
    history: async (id, q) =>
      callProduct(c, 'complaints.history', {
        params: idOf('complaints.history', id),
        query: queryOf('complaints.history', q),
        ref: id,
      }),
    reply: async (id, body) =>
      callProduct(c, 'complaints.reply', {
        fields: own(requestFields('complaints.reply', body)),
        params: idOf('complaints.reply', id),
        ref: id,
      }),
    complete: async (id, body = {}) =>
      callProduct(c, 'complaints.complete', {
        fields: own(requestFields('complaints.complete', body)),
        params: idOf('complaints.complete', id),
        ref: id,
      }),
    notifications: Object.freeze({
      create: async (url) => callProduct(c, 'complaints.notifications.create', { fields: { url } }),
      query: async () => callProduct(c, 'complaints.notifications.query', {}),
      update: async (url) => callProduct(c, 'complaints.notifications.update', { fields: { url } }),
      delete: async () => callProduct(c, 'complaints.notifications.delete', {}),
    }),
  });
}

export { complaintMethods };
