// Writing a JSON answer on a bare ServerResponse, the same bytes from both bindings.
import type { ServerResponse } from 'node:http';
import type { MeshError } from '../errors/index.js';

/**
 * Sends `value` as JSON with its length (what Express's `res.status().json()` sends, without its
 * per-call settings lookups).
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
