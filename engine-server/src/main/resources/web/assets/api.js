// Same-origin calls to the JSON API with the bearer token; errors become ApiError.

/** A failed call: HTTP status (0 when the server could not be reached), code and a message for people. */
export class ApiError extends Error {
  constructor(status, code, message, retryable) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryable = retryable;
  }
}

/** Reads an error body: {error, message} today, plus {code, user_message} when the server sends them. */
export async function errorOf(res) {
  let body = {};
  try {
    body = await res.json();
  } catch {
    body = {};
  }
  const code = typeof body.code === 'string' ? body.code : typeof body.error === 'string' ? body.error : `http_${res.status}`;
  const message = body.user_message || body.message || `The server answered ${res.status}.`;
  const retryable = res.status >= 500 || res.status === 429 || res.status === 409;
  return new ApiError(res.status, code, message, retryable);
}

/** The API client; onUnauthorized(error) is called on every 401 before the error is thrown. */
export class Api {
  constructor(onUnauthorized) {
    this.token = null;
    this.onUnauthorized = onUnauthorized;
  }

  /** Sends a JSON request; resolves to the parsed body (null for 204). */
  async json(method, path, body) {
    const res = await this.send(method, path, body, 'application/json');
    return res.status === 204 ? null : res.json();
  }

  /** Sends a request and resolves to the response once its status is 2xx (the body unread). */
  async send(method, path, body, accept) {
    const headers = { Accept: accept };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'network', 'The server could not be reached.', true);
    }
    if (res.ok) return res;
    const error = await errorOf(res);
    if (res.status === 401) this.onUnauthorized(error);
    throw error;
  }
}
