// When the gateway sends a request a second time: only when the service cannot have taken it.
// Past that point a retry could run a payment twice, and retries belong to the caller's policy.
//
// What undici (7.x, lib/dispatcher/client-h1.js and client.js) does and tells, and what follows:
// - A handler's `onConnect` runs synchronously just before the request is written on a socket.
//   Not called: nothing of the request was sent. undici fails unwritten requests when a connect
//   fails (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ENOTFOUND...) or when an idle socket dies with
//   an error (a reset) while they wait for it: any such failure is safe to send again.
// - A socket that closes while a request is written on it fails that request with
//   UND_ERR_SOCKET ("other side closed" on a FIN, "closed"), or the socket's own ECONNRESET /
//   EPIPE. On a connection that served requests before (`written` > 0 in upstream.ts) and with no
//   byte of the answer read since the write (`socket.bytesRead` unchanged), this is the keep-alive
//   race: the service closed an idle connection (its keep-alive timeout, or a drain) as the request
//   went out. Our services answer every request they read, even when draining (runtime/host), so
//   it was never processed. On a new connection the same failure may be a crash mid-request: no retry.
// - A timeout (UND_ERR_HEADERS_TIMEOUT, UND_ERR_BODY_TIMEOUT) means the service may be working on
//   it: no retry. Neither after response headers (the client has them), nor after the gateway's
//   own aborts (client gone, body too large), nor for a body that was streamed (consumed).

/**
 * Bodies up to this size with a known Content-Length are read whole before the request is sent, so
 * that a retry can send them again. 64 KiB covers nearly every JSON API call, costs at most that
 * much memory per request in flight, and nginx buffers request bodies before proxying too
 * (`proxy_request_buffering on`). Larger and chunked bodies stream as they arrive and are never retried.
 */
export const REPLAYABLE_BODY_BYTES = 64 * 1024;

/** Socket failures that, on a reused connection with no answer read, mean the request was not taken. */
const CLOSED_UNDER_REQUEST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** Failures that say nothing about whether the request was taken, or were the gateway's own decision. */
const NEVER_RETRIED = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
  'UND_ERR_INFO',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_INVALID_ARG',
  'GATEWAY_BODY_TOO_LARGE',
  'GATEWAY_CLIENT_CLOSED',
]);

/**
 * How far one attempt got, as the exchange observed it.
 *
 * @example
 * const notWritten: AttemptProgress = { written: false, reusedConnection: false, answerBytes: 0 };
 */
export interface AttemptProgress {
  /** undici started writing the request on a socket (`onConnect` ran). */
  readonly written: boolean;
  /** That socket had carried requests before this one. */
  readonly reusedConnection: boolean;
  /** Bytes read on that socket since the request was written (any byte of an answer). */
  readonly answerBytes: number;
}

/**
 * True when a failed attempt cannot have reached the service's handler, so sending it again
 * (once, on another instance or a new connection) cannot run it twice. The caller checks the rest:
 * no response headers yet, a replayable body, no retry yet.
 *
 * @param err - the error undici gave the handler
 * @param progress - how far the attempt got
 * @example
 * notTaken(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { written: false, reusedConnection: false, answerBytes: 0 }); // true
 * notTaken(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), { written: true, reusedConnection: false, answerBytes: 0 }); // false: a new connection
 */
export function notTaken(err: Error, progress: AttemptProgress): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || NEVER_RETRIED.has(code)) return false;
  if (!progress.written) return true;
  return progress.reusedConnection && progress.answerBytes === 0 && CLOSED_UNDER_REQUEST.has(code);
}
