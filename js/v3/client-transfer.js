// 商家转账 (issue 27 item 6), the API WeChat opened on 2025-01-15 (merchants onboarded since
// then have no other): create a transfer bill, query it by either number, cancel it, and
// what the mini-program passes to `wx.requestMerchantTransfer` for the user to confirm it.
// `user_name` (the payee's real name, needed for larger amounts) is given as plain text and
// sent RSA-OAEP encrypted with the platform key the request names in Wechatpay-Serial. A lost
// answer to create or cancel is settled by the query. `c` is the client's context.
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { requestFields, requiredText } from '../client/fields.js';
import { answers, callProduct, foundBy } from './client-products.js';

/** `{ out_bill_no }` or `{ transfer_bill_no }`: the bill's query. */
async function queryBill(c, q) {
  const api = 'transfer.query';
  const by = isPlainObject(q) ? ['out_bill_no', 'transfer_bill_no'].filter((k) => q[k] !== undefined) : [];
  if (by.length !== 1)
    throw new WxPayError(
      'INVALID_PARAM',
      `${api}: give { out_bill_no } or { transfer_bill_no } (one of them), got ${describe(q)}`,
      {
        field: 'out_bill_no',
      },
    );
  const [field] = by;
  if (Object.keys(q).length !== 1)
    throw new WxPayError('INVALID_PARAM', `${api}: only ${field} is taken`, {
      field: Object.keys(q).find((k) => k !== field),
    });
  const value = requiredText(api, q[field], field);
  return callProduct(c, field === 'out_bill_no' ? 'transfer.queryByOutBillNo' : 'transfer.queryByTransferBillNo', {
    params: { [field]: value },
    ref: value,
    expect: answers(field, value),
  });
}

/** `wx.requestMerchantTransfer`'s mchId, appId and package, from create's (or the query's) answer in WAIT_USER_CONFIRM. */
function transferParams(c, answer) {
  if (!isPlainObject(answer) || typeof answer.package_info !== 'string' || answer.package_info === '')
    throw new WxPayError(
      'INVALID_PARAM',
      `transferParams: give transfer.create's answer with its package_info (state WAIT_USER_CONFIRM), got ${describe(answer?.package_info)}`,
      { field: 'package_info' },
    );
  return { mchId: c.mchId, appId: c.appid, package: answer.package_info };
}

function transferMethods(c) {
  return Object.freeze({
    create: async (bill) => {
      const f = requestFields('transfer.create', bill);
      return callProduct(c, 'transfer.create', {
        fields: f,
        ref: f.out_bill_no,
        expect: answers('out_bill_no', f.out_bill_no),
        resolve: foundBy(() => queryBill(c, { out_bill_no: f.out_bill_no }), 'NOT_FOUND', 'RESOURCE_NOT_EXISTS'),
      });
    },
    query: async (q) => queryBill(c, q),
    cancel: async (outBillNo) => {
      const no = requiredText('transfer.cancel', outBillNo, 'outBillNo');
      return callProduct(c, 'transfer.cancel', {
        params: { out_bill_no: no },
        ref: no,
        expect: answers('out_bill_no', no),
        // Lost answer: the bill's state says whether the cancel took (CANCELING, CANCELLED).
        resolve: async () => {
          const q = await queryBill(c, { out_bill_no: no });
          if (q.state === 'CANCELING' || q.state === 'CANCELLED')
            return { done: true, value: { ...q, resolvedByQuery: true } };
          return { done: false };
        },
      });
    },
  });
}

export { transferMethods, transferParams };
