// Writing a JSON answer on a bare ServerResponse, the same bytes from both bindings.
import type { ServerResponse } from 'node:http';
import type { MeshError } from '../errors/index.js';

/** The header every response of a service carries: a browser never guesses a type other than the declared one. */
const SECURITY_HEADERS: readonly string[] = Object.freeze(['x-content-type-options', 'nosniff']);
const JSON_TYPE = 'application/json; charset=utf-8';
const kAnswerHeaders = Symbol('meshspec.answerHeaders');
type Answering = ServerResponse & { [kAnswerHeaders]?: string[] };

/**
 * Sets the headers every response of a service carries, whichever binding and route answers:
 * `X-Content-Type-Options: nosniff` (a JSON error echoing input is no HTML page), and the request id.
 *
 * @param res - the response, headers not sent
 * @param requestId - the request's id (x-request-id)
 * @example
 * setAnswerHeaders(res, requestId);
 */
export function setAnswerHeaders(res: ServerResponse, requestId: string): void {
  res.setHeader('x-request-id', requestId);
  res.setHeader(SECURITY_HEADERS[0] as string, SECURITY_HEADERS[1] as string);
}

/**
 * Like setAnswerHeaders, but the headers are written with the answer in one writeHead (cheaper than
 * one setHeader each) when the answer is the binding's own: sendJson, sendError, sendEmpty. Code
 * that writes the response itself (an extra route) must get them set first: applyAnswerHeaders.
 *
 * @param res - the response, headers not sent
 * @param requestId - the request's id (x-request-id)
 * @example
 * deferAnswerHeaders(res, requestId);
 * sendJson(res, 200, output); // x-request-id and nosniff go out with it
 */
export function deferAnswerHeaders(res: ServerResponse, requestId: string): void {
  (res as Answering)[kAnswerHeaders] = ['x-request-id', requestId, ...SECURITY_HEADERS];
}

/**
 * Sets the headers deferAnswerHeaders held back, before code other than the binding writes the response.
 *
 * @param res - the response
 * @example
 * applyAnswerHeaders(res);
 * await route.handle(req, res, params, ctx);
 */
export function applyAnswerHeaders(res: ServerResponse): void {
  const held = (res as Answering)[kAnswerHeaders];
  if (!held) return;
  delete (res as Answering)[kAnswerHeaders];
  for (let i = 0; i < held.length; i += 2) res.setHeader(held[i] as string, held[i + 1] as string);
}

/**
 * The request id an answer on `res` will carry (set or deferred), or `` before the binding chose one.
 *
 * @param res - the response
 * @example
 * sendError(res, new RequestTimeout(), answerRequestId(res));
 */
export function answerRequestId(res: ServerResponse): string {
  const held = (res as Answering)[kAnswerHeaders];
  return held ? (held[1] as string) : String(res.getHeader('x-request-id') ?? '');
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
  const headers = ['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(body))];
  if (status >= 400) headers.push('cache-control', 'no-store');
  writeHead(res, status, headers);
  res.end(body);
}

/**
 * Answers `status` without a body (an endpoint without output: 204 or the like).
 *
 * @param res - the response; ended here
 * @param status - the status code
 * @example
 * sendEmpty(res, 204);
 */
export function sendEmpty(res: ServerResponse, status: number): void {
  writeHead(res, status, []);
  res.end();
}

/** One writeHead with `headers` and whatever deferAnswerHeaders held (headers set earlier merge in). */
function writeHead(res: ServerResponse, status: number, headers: string[]): void {
  const held = (res as Answering)[kAnswerHeaders];
  if (held) headers.push(...held);
  res.writeHead(status, headers);
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
