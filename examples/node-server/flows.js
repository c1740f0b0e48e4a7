// The API v3 flows beside the mini-program order (app.js adds these routes in v3 mode only):
//   POST /orders/native {total_fee, body?}     → 201 { out_trade_no, state, total_fee, code_url }
//     a Native (QR code) order, stored like the JSAPI ones: its payment callback comes to
//     /wxpay/notify and moves it CREATED → PAID by the same store transition; GET /orders/:no,
//     the refund and the reconciliation are the JSAPI order's.
//   POST /transfers {openid, amount, remark?, activity?, reward?}
//                                              → 201 { out_bill_no, state, transfer_bill_no, transfer }
//     a transfer to a user's wallet (商家转账, 2025, scene 1000 现金营销): `transfer` is what the
//     mini-program passes to wx.requestMerchantTransfer ({ mchId, appId, package }).
//   GET /transfers/:no                         → the stored bill
//   POST /transfers/:no/sync                   → the bill as WeChat has it now (its query), stored
//   POST /wxpay/transfer-notify                → MCHTRANSFER.BILL.FINISHED, through the package's
//     notify handler: the stored bill becomes SUCCESS, FAIL or CANCELLED.
import { randomBytes } from 'node:crypto';

/** Scene 1000 (现金营销) asks for exactly these two report infos (WeChat's transfer docs). */
const SCENE_ID = '1000';
const ENDED = ['SUCCESS', 'FAIL', 'CANCELLED'];

/**
 * { wechat, db, log, notifyBase, json, compact, orderTtlSeconds } → { routes, transferNotify }:
 * the routes in app.js's form, and the raw (req, res) handler of the transfer callback.
 */
export function v3Flows({ wechat, db, log, notifyBase, json, compact, orderTtlSeconds }) {
  async function createNative(_m, body) {
    const input = JSON.parse(body || '{}');
    const totalFee = Number(input.total_fee);
    if (!Number.isSafeInteger(totalFee) || totalFee <= 0)
      return json(400, { error: 'total_fee must be a positive integer (fen)' });
    const now = Date.now();
    const row = {
      out_trade_no: `N${compact(now)}${randomBytes(6).toString('hex')}`,
      // A Native order has no payer until someone scans and pays: no openid.
      openid: '',
      body: typeof input.body === 'string' && input.body ? input.body : 'Native order',
      total_fee: totalFee,
      created_at: now,
      expires_at: now + orderTtlSeconds * 1000,
    };
    await db.createOrder(row);
    let created;
    try {
      created = await wechat.createNativePayment({
        no: row.out_trade_no,
        description: row.body,
        total: totalFee,
        expiresAt: row.expires_at,
        notifyUrl: `${notifyBase()}/wxpay/notify`,
      });
    } catch (e) {
      // As a JSAPI order: it stays CREATED and reconciliation settles it.
      log(`order ${row.out_trade_no}: Native order failed: ${e.code ?? e.name} ${e.errCode ?? ''} ${e.message}`);
      return json(502, { error: 'native order failed', code: e.code, out_trade_no: row.out_trade_no });
    }
    log(`order ${row.out_trade_no} CREATED (Native): ${totalFee} fen`);
    return json(201, {
      out_trade_no: row.out_trade_no,
      state: 'CREATED',
      total_fee: totalFee,
      code_url: created.codeUrl,
    });
  }

  async function createTransfer(_m, body) {
    const input = JSON.parse(body || '{}');
    const amount = Number(input.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return json(400, { error: 'amount must be a positive integer (fen)' });
    if (typeof input.openid !== 'string' || !input.openid)
      return json(400, { error: 'openid is required (from wx.login → code2Session)' });
    const text = (v, fallback) => (typeof v === 'string' && v ? v : fallback);
    const row = {
      out_bill_no: `T${compact(Date.now())}${randomBytes(6).toString('hex')}`,
      openid: input.openid,
      amount,
      remark: text(input.remark, '活动奖励'),
      scene_id: SCENE_ID,
      created_at: Date.now(),
    };
    await db.createTransfer(row);
    let r;
    try {
      r = await wechat.createTransfer({
        no: row.out_bill_no,
        openid: row.openid,
        amount,
        remark: row.remark,
        sceneId: SCENE_ID,
        reportInfos: [
          { info_type: '活动名称', info_content: text(input.activity, '新会员有礼') },
          { info_type: '奖励说明', info_content: text(input.reward, '注册会员抽奖一等奖') },
        ],
        notifyUrl: `${notifyBase()}/wxpay/transfer-notify`,
      });
    } catch (e) {
      // WeChat's refusal ends the bill; an unknown outcome leaves it CREATED (POST …/sync asks WeChat).
      const refused = e.code === 'RESULT_FAIL' && !e.retryable;
      if (refused) await db.updateTransfer(row.out_bill_no, { state: 'FAIL', failReason: e.errCode ?? e.code });
      log(`transfer ${row.out_bill_no}: ${refused ? 'refused' : 'outcome unknown'}: ${e.code} ${e.errCode ?? ''}`);
      return json(502, { error: 'transfer failed', code: e.code, errCode: e.errCode, out_bill_no: row.out_bill_no });
    }
    const { bill, params } = r;
    await db.updateTransfer(row.out_bill_no, {
      state: bill.state,
      transferBillNo: bill.transfer_bill_no,
      packageInfo: bill.package_info,
      failReason: bill.fail_reason,
    });
    log(`transfer ${row.out_bill_no}: ${amount} fen to ${row.openid}, ${bill.state}`);
    return json(201, {
      out_bill_no: row.out_bill_no,
      state: bill.state,
      transfer_bill_no: bill.transfer_bill_no,
      ...(params ? { transfer: params } : {}),
    });
  }

  async function showTransfer(no) {
    const t = await db.transfer(no);
    return t ? json(200, t) : json(404, { error: `no transfer ${no}` });
  }

  /** WeChat's query: for a bill whose callback was lost (or whose creation's answer was). */
  async function syncTransfer(no) {
    if (!(await db.transfer(no))) return json(404, { error: `no transfer ${no}` });
    let bill;
    try {
      bill = await wechat.queryTransfer(no);
    } catch (e) {
      log(`transfer ${no}: query failed: ${e.code} ${e.errCode ?? ''}`);
      return json(502, { error: 'transfer query failed', code: e.code, errCode: e.errCode });
    }
    const u = await db.updateTransfer(no, {
      state: bill.state,
      transferBillNo: bill.transfer_bill_no,
      failReason: bill.fail_reason,
    });
    if (u.changed) log(`transfer ${no}: ${u.transfer.state} (query)`);
    return json(200, u.transfer);
  }

  /**
   * MCHTRANSFER.BILL.FINISHED, verified and decrypted by the package: it must name a bill of ours,
   * to the same user and of the same amount (a throw answers WeChat 500, so it sends it again).
   */
  async function onTransfer(r) {
    const t = await db.transfer(r.out_bill_no);
    if (!t || t.amount !== r.transfer_amount || (r.openid !== undefined && r.openid !== t.openid))
      throw new Error(`transfer callback for ${r.out_bill_no} does not match a bill of ours`);
    if (!ENDED.includes(r.state)) return;
    const u = await db.updateTransfer(r.out_bill_no, {
      state: r.state,
      transferBillNo: r.transfer_bill_no,
      failReason: r.fail_reason,
    });
    log(`transfer notify ${r.out_bill_no}: ${u.changed ? `→ ${r.state}` : `duplicate, already ${u.transfer.state}`}`);
  }

  return {
    routes: [
      ['POST', /^\/orders\/native$/, createNative],
      ['POST', /^\/transfers$/, createTransfer],
      ['GET', /^\/transfers\/([\w-]+)$/, (m) => showTransfer(m[1])],
      ['POST', /^\/transfers\/([\w-]+)\/sync$/, (m) => syncTransfer(m[1])],
    ],
    transferNotify: wechat.transferNotifyHandler(onTransfer),
  };
}
