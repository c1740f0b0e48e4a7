// The control interface's errors: an HttpError is answered as { error } with its status.

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The v3 module throws plain Errors for a request that cannot be done now (409) or is malformed (400). */
export async function v3Call(fn) {
  try {
    return await fn();
  } catch (e) {
    if (/before notifying|already|complete it first/.test(e.message)) throw new HttpError(409, e.message);
    if (/must be/.test(e.message)) throw new HttpError(400, e.message);
    throw e;
  }
}
