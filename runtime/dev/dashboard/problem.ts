// The dashboard's error answers: every refusal is `{ "error": { "code", "message" } }` with its
// status, the message short and written for a person, never a stack or an internal address.
import type { ServerResponse } from 'node:http';
import type { ApiError } from './api-types.js';

/** Longest message an error answer carries: enough for a sentence and a name, never a dump. */
export const MAX_ERROR_MESSAGE = 300;

/**
 * A request the dashboard refuses (or the stack behind it did not answer), with its status.
 *
 * @example
 * throw new ApiProblem(404, 'not_found', 'no endpoint users.createUsr (did you mean users.createUser?)');
 */
export class ApiProblem extends Error {
  /**
   * @param status - the HTTP status (4xx, or 502 when the stack did not answer)
   * @param code - a short machine-readable code (`not_found`, `bad_json`, ...)
   * @param message - what went wrong, for a person
   * @param headers - extra response headers (`Allow` of a 405)
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/**
 * Sends `body` as JSON with `status`; the dashboard's answers are never cached.
 *
 * @param res - the response
 * @param status - its status
 * @param body - any JSON value
 * @param headers - extra headers
 * @example
 * sendJson(res, 200, overview);
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * The error answer of `err`: an ApiProblem as it says, anything else a 500 that names no internals.
 *
 * @param err - what was thrown while answering
 * @example
 * const { status, body } = problemOf(new ApiProblem(400, 'bad_json', 'the body is not JSON'));
 */
export function problemOf(err: unknown): { status: number; body: ApiError; headers: Readonly<Record<string, string>> } {
  if (err instanceof ApiProblem) {
    return { status: err.status, body: { error: { code: err.code, message: bounded(err.message) } }, headers: err.headers };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'the dashboard could not answer this request; its log line says why' } }, headers: {} };
}

/**
 * Cuts a message to MAX_ERROR_MESSAGE characters.
 *
 * @param text - the message
 * @example
 * bounded('x'.repeat(1000)).length; // 300
 */
export function bounded(text: string): string {
  return text.length <= MAX_ERROR_MESSAGE ? text : `${text.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
}
