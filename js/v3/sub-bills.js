// 单个子商户资金账单 (GET /v3/bill/sub-merchant-fundflowbill): a partner's bill of one
// sub-merchant, given as a list of ENCRYPTED parts. Its format, and where each rule comes from:
// - step 1's signed answer { download_bill_count, download_bill_list: [{ bill_sequence,
//   download_url, encrypt_key, hash_type, hash_value, nonce }] } (spec/v3.json; wechatpay-java
//   service/billdownload/model/EncryptBillEntity.java, commit 1dab7be);
// - each part is downloaded like any bill file (signed GET of download_url, unsigned answer);
//   the file is BINARY ciphertext, not Base64, of AEAD_AES_256_GCM with an EMPTY associated
//   data, its key the merchant-private-key (RSA-OAEP) decryption of encrypt_key, its nonce the
//   `nonce` string (WeChat's 申请单个子商户资金账单 page, "文件解密": ciphertext / key /
//   nonce / "associated_data": "" (填空), "返回的账单文件是二进制密文…不需要进行Base64解码";
//   wechatpay-java decrypts encrypt_key with RSAPrivacyDecryptor, RSA/ECB/OAEPWithSHA-1AndMGF1Padding,
//   the same as client.decrypt). Key and nonce are used as the bytes of those strings, as in
//   the AES-GCM sample WeChat points to (证书和回调报文解密: a 32-byte key, the nonce's
//   UTF-8 bytes, the 16-byte tag after the ciphertext);
// - hash_value is "原始账单（gzip需要解压缩）的摘要值…GCM算法加密的账单解密成功表示校验完整性
//   通过" (EncryptBillEntity): the digest of the DECRYPTED part (decompressed with GZIP). So a
//   part is decrypted first, then gunzipped (also what WeChat's encrypted 支付分 merchant-bill
//   says: "需先解密、再解压"), then its digest checked as download.js checks any bill's
//   (either the decompressed or the .gz bytes' digest, see verifiedStream);
// - parts are decrypted one by one and joined in bill_sequence order, starting at 1
//   (下载单个子商户资金账单: "解密后，将多个文件按账单文件序号(bill_sequence)的顺序合并").
// SM4_GCM is refused: WebCrypto has no SM4. AES-GCM in WebCrypto decrypts a whole message at
// once, so each part is held in memory (bounded by maxBytes); billStream yields part by part.
import { WxPayError } from '../core/index.js';
import { callV3 } from './client-request.js';
import { openDownload, pathOnOrigin } from './client-files.js';
import { RSA_OAEP, importKey, needSubtle } from './crypto.js';
import { readAll } from '../client/transport.js';
import { expectedHash, meteredStream, verifiedStream } from './download.js';
import { privateState } from './keys.js';

const encoder = new TextEncoder();
const invalid = (api, message, field) => new WxPayError('INVALID_FIELD', `${api}: ${message}`, { field });
const cannotDecrypt = (api, message) => new WxPayError('DECRYPT_FAILED', `${api}: ${message}`);

/** Step 1's answer checked: a count equal to the list's length, each part's fields, sequences 1..n. */
function partsOf(api, j) {
  const list = j.download_bill_list ?? [];
  if (!Number.isSafeInteger(j.download_bill_count) || !Array.isArray(list) || list.length !== j.download_bill_count)
    throw invalid(api, 'download_bill_count is not the number of download_bill_list entries', 'download_bill_count');
  for (const p of list) {
    for (const k of ['download_url', 'encrypt_key', 'hash_type', 'hash_value', 'nonce'])
      if (typeof p?.[k] !== 'string' || p[k] === '') throw invalid(api, `a bill part has no ${k}`, k);
    if (!Number.isSafeInteger(p.bill_sequence)) throw invalid(api, 'a bill part has no bill_sequence', 'bill_sequence');
  }
  const parts = [...list].sort((a, b) => a.bill_sequence - b.bill_sequence);
  parts.forEach((p, i) => {
    if (p.bill_sequence !== i + 1)
      throw invalid(api, 'bill_sequence must number the parts 1, 2, … without gaps or repeats', 'bill_sequence');
  });
  return parts;
}

/** encrypt_key opened with the merchant private key (RSA-OAEP, SHA-1): the 32-byte AES key. */
async function partKey(c, api, encryptKey) {
  let bytes;
  try {
    bytes = Uint8Array.from(atob(encryptKey), (ch) => ch.charCodeAt(0));
  } catch {
    throw invalid(api, 'encrypt_key is not Base64', 'encrypt_key');
  }
  const state = await privateState(c.privateKey);
  state.oaep ??= importKey('pkcs8', state.der, RSA_OAEP, 'decrypt', 'privateKey');
  let key;
  try {
    key = new Uint8Array(await needSubtle().decrypt(RSA_OAEP, await state.oaep, bytes));
  } catch {
    throw cannotDecrypt(api, 'encrypt_key does not decrypt with the merchant private key (RSA-OAEP, SHA-1)');
  }
  if (key.length !== 32)
    throw cannotDecrypt(api, `the key in encrypt_key is ${key.length} bytes; AEAD_AES_256_GCM needs 32`);
  return key;
}

/** One part: downloaded (bounded), decrypted, gunzipped with GZIP, its digest checked → its bytes. */
async function openPart(c, { api, part, hash, path, maxBytes, gzip, what }) {
  const key = await partKey(c, api, part.encrypt_key);
  const r = await openDownload(c, api, path, maxBytes);
  const sealed = await readAll(meteredStream(r.body, { maxBytes }));
  const aes = await needSubtle().importKey('raw', key, 'AES-GCM', false, ['decrypt']);
  let plain;
  try {
    const alg = { name: 'AES-GCM', iv: encoder.encode(part.nonce), additionalData: new Uint8Array(0), tagLength: 128 };
    plain = new Uint8Array(await needSubtle().decrypt(alg, aes, sealed));
  } catch {
    throw cannotDecrypt(api, `${what} does not decrypt (AES-GCM tag): tampered, cut short or not this key's`);
  }
  const source = new ReadableStream({
    start(controller) {
      controller.enqueue(plain);
      controller.close();
    },
  });
  return readAll(verifiedStream(source, { hash, maxBytes, gzip, what }));
}

/**
 * Both steps of a sub-merchant bill, once the query was checked (client-bills.js): a stream of
 * the parts' verified plaintext in bill_sequence order, each part fetched when the previous
 * one was read; more than `maxBytes` in all is INPUT_TOO_LARGE.
 */
async function subMerchantBill(c, { api, url, maxBytes, gzip, what }) {
  let parts;
  await callV3(c, {
    method: 'GET',
    url,
    api,
    expect: (j) => {
      parts = partsOf(api, j);
    },
  });
  // Every part's hash and URL checked before any is downloaded.
  const checked = parts.map((part) => ({
    part,
    hash: expectedHash(part.hash_type, part.hash_value, api),
    path: pathOnOrigin(c, api, part.download_url),
  }));
  let next = 0;
  let total = 0;
  return new ReadableStream(
    {
      async pull(controller) {
        try {
          if (next === checked.length) return controller.close();
          const { part, hash, path } = checked[next++];
          const partWhat = `part ${part.bill_sequence} of ${what}`;
          const bytes = await openPart(c, { api, part, hash, path, maxBytes, gzip, what: partWhat });
          total += bytes.byteLength;
          if (total > maxBytes)
            throw new WxPayError('INPUT_TOO_LARGE', `${api}: the bill is larger than ${maxBytes} bytes (maxBytes)`);
          controller.enqueue(bytes);
        } catch (e) {
          controller.error(e);
        }
      },
    },
    { highWaterMark: 0 },
  );
}

export { partsOf, subMerchantBill };
