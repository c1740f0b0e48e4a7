// WeChat's v2 error codes as the mock answers them. `envelope` errors are refused before
// the request is trusted (return_code FAIL, unsigned); the others are business results
// (return_code SUCCESS, result_code FAIL, signed). WeChat itself names only return_msg in
// an envelope failure; the mock adds err_code there too so scripts can match a code.
export class MockError extends Error {
  constructor(code, des, { envelope = false } = {}) {
    super(des);
    this.code = code;
    this.envelope = envelope;
  }
}

/** WeChat's own wording for each code the mock can answer. */
export const DESCRIPTIONS = Object.freeze({
  REQUIRE_POST_METHOD: '请使用post方法',
  POST_DATA_EMPTY: 'post数据为空',
  NOT_UTF8: '编码格式错误',
  XML_FORMAT_ERROR: 'XML格式错误',
  LACK_PARAMS: '缺少参数',
  SIGNERROR: '签名错误',
  APPID_MCHID_NOT_MATCH: 'appid和mch_id不匹配',
  PARAM_ERROR: '参数错误',
  OUT_TRADE_NO_USED: '商户订单号重复',
  ORDERPAID: '订单已支付',
  ORDERCLOSED: '订单已关闭',
  ORDERNOTEXIST: '此交易订单号不存在',
  NOTENOUGH: '退款金额大于可退金额',
  REFUND_FEE_MISMATCH: '订单金额或退款金额与之前请求不一致',
  REFUNDNOTEXIST: '退款订单查询失败',
  TRADE_STATE_ERROR: '订单状态错误',
  SYSTEMERROR: '系统超时',
});

export const fail = (code, detail, opts) =>
  new MockError(code, detail ? `${DESCRIPTIONS[code] ?? code}: ${detail}` : (DESCRIPTIONS[code] ?? code), opts);
