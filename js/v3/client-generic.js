// The v3 client's generic call (issue 27 item 1) and sensitive fields (item 3): any v3 path
// signed, sent with the platform key's serial, its answer verified — the same guarantees as
// the named methods, for the endpoints that have none. `c` is the client's context (see
// client.js).
import { callV3 } from './client-request.js';
import { platformKey } from './client-keys.js';
import { genericRequest } from './generic-request.js';

/** `request(method, url, body?, options?)`: the parsed JSON answer, `null` for an empty 2xx. */
async function requestGeneric(c, method, url, body, options) {
  const req = genericRequest('request', method, url, body, options);
  // Events name the call by its method and path as written (a template's {name}s unfilled, no query).
  const api = `${method} ${url.split('?')[0]}`;
  return callV3(c, { ...req, api });
}

/** The client's methods for any path; `get` and `delete` take no body. */
function genericMethods(c) {
  return {
    request: (method, url, body, options) => requestGeneric(c, method, url, body, options),
    get: (url, options) => requestGeneric(c, 'GET', url, undefined, options),
    post: (url, body, options) => requestGeneric(c, 'POST', url, body, options),
    put: (url, body, options) => requestGeneric(c, 'PUT', url, body, options),
    patch: (url, body, options) => requestGeneric(c, 'PATCH', url, body, options),
    delete: (url, options) => requestGeneric(c, 'DELETE', url, undefined, options),
    /** Base64 RSA-OAEP (SHA-1) of `plaintext` with the platform key requests name (Wechatpay-Serial). */
    encrypt: async (plaintext) => c.v3.encryptSensitive(plaintext, (await platformKey(c)).pem),
    /** A field WeChat encrypted to the merchant's key, as text. */
    decrypt: (ciphertext) => c.v3.decryptSensitive(ciphertext, c.privateKey),
  };
}

export { genericMethods };
