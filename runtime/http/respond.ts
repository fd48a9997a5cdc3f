// Writing a JSON answer on a bare ServerResponse, the same bytes from both bindings.
import type { ServerResponse } from 'node:http';
import type { MeshError } from '../errors/index.js';

/**
 * Sets the headers every response of a service carries, whichever binding and route answers:
 * `X-Content-Type-Options: nosniff`, so a browser never guesses a type other than the declared one
 * (a JSON error echoing input is no HTML page).
 *
 * @param res - the response, headers not sent
 * @example
 * setSecurityHeaders(res);
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
}

/**
 * Sends `value` as JSON with its length (what Express's `res.status().json()` sends, without its
 * per-call settings lookups). An error status (400 and up) also gets `Cache-Control: no-store`: an
 * error is about one request and no cache may answer another with it.
 *
 * @param res - the response; ended here
 * @param status - the status code
 * @param value - anything JSON.stringify accepts; throws as it does (a BigInt, a cycle)
 * @example
 * sendJson(res, 200, { status: 'ok' });
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  if (status >= 400) res.setHeader('cache-control', 'no-store');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Answers `error` with its status and JSON body; once headers are out, cuts the response instead
 * (a half-written answer must not look complete).
 *
 * @param res - the response
 * @param error - the MeshError to answer
 * @param requestId - put in the body
 * @example
 * sendError(res, new NotFound('no route for GET /x'), requestId);
 */
export function sendError(res: ServerResponse, error: MeshError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody(requestId));
}
