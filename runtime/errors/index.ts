// Errors that cross service boundaries. A handler throws a MeshError whose code the endpoint
// declares; the binding maps it to a status (HTTP) or status code (gRPC) and the client on the
// other side rebuilds a MeshError with the same code. Anything else becomes a 500 `Internal`
// without leaking its message or stack.
import { builtinErrorStatus, runtimeErrorStatus, type BuiltinErrorCode } from '../../common/errors.js';
import { boundDetails, boundText, MAX_CODE_CHARS, MAX_ERROR_BODY_BYTES, MAX_MESSAGE_CHARS } from './bounds.js';

export { boundDetails, boundText, MAX_ERROR_BODY_BYTES, MAX_LIST_ITEMS } from './bounds.js';

export interface MeshErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/**
 * An error a caller may see. Its code, message and details are bounded when it is made (see
 * bounds.ts: a summary message, at most a few list entries, short strings), so whatever input
 * caused it, the body or trailers carrying it stay small. What only an operator should see (an
 * address, a library's own text) goes in `cause`, which no transport serializes.
 *
 * @param code - the error code (`OutOfStock`, `ValidationFailed`)
 * @param message - one line for the caller
 * @param status - the HTTP status it answers with
 * @param details - JSON the caller may read; bounded copy kept
 * @param options - `cause`: for logs only
 * @example
 * throw new MeshError('OutOfStock', 'sku-1 is out of stock', 409, { sku: 'sku-1' });
 */
export class MeshError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: string, message: string, status: number, details?: unknown, options?: { cause?: unknown }) {
    super(boundText(String(message), MAX_MESSAGE_CHARS), options);
    const bounded = boundText(String(code), MAX_CODE_CHARS);
    this.name = bounded;
    this.code = bounded;
    this.status = status;
    this.details = boundDetails(details);
  }

  /**
   * The JSON body of an HTTP answer: never over MAX_ERROR_BODY_BYTES (details are dropped, then the
   * message cut, should escaping make them longer than their caps allow).
   *
   * @param requestId - put in the body when given
   * @example
   * new NotFound('no order 7').toBody('req-1'); // { error: { code: 'NotFound', message: 'no order 7', requestId: 'req-1' } }
   */
  toBody(requestId?: string): MeshErrorBody {
    const body: MeshErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    if (requestId) body.error.requestId = boundText(requestId, MAX_CODE_CHARS);
    if (Buffer.byteLength(JSON.stringify(body)) <= MAX_ERROR_BODY_BYTES) return body;
    delete body.error.details;
    // Escaped (`\u0000`) and multi-byte characters take up to 6 bytes each: a sixth of the budget always fits.
    if (Buffer.byteLength(JSON.stringify(body)) > MAX_ERROR_BODY_BYTES) body.error.message = boundText(this.message, Math.floor(MAX_ERROR_BODY_BYTES / 6) - 64);
    return body;
  }
}

/** True when `err` is a MeshError, and (when given) carries `code`. */
export function isMeshError(err: unknown, code?: string): err is MeshError {
  return err instanceof MeshError && (code === undefined || err.code === code);
}

export { builtinErrorStatus, isBuiltinError, runtimeErrorStatus, type BuiltinErrorCode, type RuntimeErrorCode } from '../../common/errors.js';

function builtin(code: BuiltinErrorCode, fallback: string) {
  return class extends MeshError {
    constructor(message: string = fallback, details?: unknown, options?: { cause?: unknown }) {
      super(code, message, builtinErrorStatus[code], details, options);
    }
  };
}

export const BadRequest = builtin('BadRequest', 'bad request');
export const Unauthorized = builtin('Unauthorized', 'unauthorized');
export const Forbidden = builtin('Forbidden', 'forbidden');
export const NotFound = builtin('NotFound', 'not found');
export const Conflict = builtin('Conflict', 'conflict');
export const Gone = builtin('Gone', 'gone');
export const PreconditionFailed = builtin('PreconditionFailed', 'precondition failed');
export const Unprocessable = builtin('Unprocessable', 'unprocessable');
export const TooManyRequests = builtin('TooManyRequests', 'too many requests');
export const Unavailable = builtin('Unavailable', 'unavailable');

// The codes the runtime answers with on its own, statuses from common/errors.ts (runtimeErrorStatus).

/**
 * Most validation issues a ValidationFailed lists: enough to fix a request, few enough that a body
 * of 130,000 bad items is answered in a few KiB (the rest are counted in one last entry).
 */
export const MAX_REPORTED_ISSUES = 20;
/** Longest issue path or message listed, in characters (a pointer may echo a client's key). */
const MAX_ISSUE_TEXT = 200;
/** Characters of issues listed, at most: long issues are listed fewer, so the list stays within the details budget. */
const MAX_LISTED_CHARS = 5000;

/**
 * One problem with an input: where (a JSON pointer, `''` for the root) and what.
 *
 * @example
 * const issue: IssueDetail = { path: '/items/0', message: "must have required property 'productId'" };
 */
export interface IssueDetail {
  path: string;
  message: string;
}

/**
 * Input failed validation (400). `details` lists the first MAX_REPORTED_ISSUES problems with their
 * JSON pointers and, when there were more, one last entry `{ path: '', message: 'N more issues not listed' }`.
 *
 * @param message - a short summary (validation/issues.ts `invalidInput` words it and counts the issues)
 * @param details - the issues found (only the first are kept)
 * @param total - how many issues were found in all; default `details.length`
 * @param partial - true when there may be more than `total` (the last entry then gives no number); default false
 * @example
 * throw new ValidationFailed('invalid input: /email must match format "email"', [{ path: '/email', message: 'must match format "email"' }]);
 */
export class ValidationFailed extends MeshError {
  constructor(message: string, details: readonly IssueDetail[], total: number = details.length, partial = false) {
    super('ValidationFailed', message, runtimeErrorStatus.ValidationFailed, listedIssues(details, total, partial));
  }
}

function listedIssues(issues: readonly IssueDetail[], total: number, partial: boolean): IssueDetail[] {
  const listed: IssueDetail[] = [];
  let chars = 0;
  for (const issue of issues) {
    if (listed.length === MAX_REPORTED_ISSUES) break;
    const entry = { path: boundText(String(issue.path), MAX_ISSUE_TEXT), message: boundText(String(issue.message), MAX_ISSUE_TEXT) };
    chars += entry.path.length + entry.message.length + 30;
    if (chars > MAX_LISTED_CHARS && listed.length > 0) break;
    listed.push(entry);
  }
  const rest = Math.max(total, issues.length) - listed.length;
  if (rest > 0) listed.push({ path: '', message: `${rest}${partial ? '+' : ''} more ${rest === 1 && !partial ? 'issue' : 'issues'} not listed` });
  else if (partial) listed.push({ path: '', message: 'more issues may follow (long lists are checked from their first items)' });
  return listed;
}

/** The path exists, but not for this method (405); the HTTP binding also sets `Allow`. */
export class MethodNotAllowed extends MeshError {
  constructor(message: string) {
    super('MethodNotAllowed', message, runtimeErrorStatus.MethodNotAllowed);
  }
}

/** The request body is over the body limit (413). */
export class PayloadTooLarge extends MeshError {
  constructor(message: string) {
    super('PayloadTooLarge', message, runtimeErrorStatus.PayloadTooLarge);
  }
}

/**
 * The client stopped sending its request body (408): nothing arrived for the listener's idle-body
 * timeout. Answered with `Connection: close`.
 *
 * @param message - default `the request body stopped arriving`
 * @example
 * new RequestTimeout().status; // 408
 */
export class RequestTimeout extends MeshError {
  constructor(message = 'the request body stopped arriving') {
    super('RequestTimeout', message, 408);
  }
}

/** The request body is not JSON, or in an encoding or charset the binding does not read (415). */
export class UnsupportedMediaType extends MeshError {
  constructor(message: string) {
    super('UnsupportedMediaType', message, runtimeErrorStatus.UnsupportedMediaType);
  }
}

/** What a caller sees for an error that was not declared: status 500, no internals (`options.cause` is for logs only). */
export class InternalError extends MeshError {
  constructor(message = 'internal error', options?: { cause?: unknown }) {
    super('Internal', message, runtimeErrorStatus.Internal, undefined, options);
  }
}

/** What a freshly generated hook stub throws until the user writes its body (501). */
export class NotImplemented extends MeshError {
  constructor(operation: string) {
    super('NotImplemented', `${operation} is not implemented yet: write its body in the hooks file`, runtimeErrorStatus.NotImplemented);
  }
}

/** The upstream (behind the gateway, or called by a client) failed to answer with something usable (502). */
export class BadGateway extends MeshError {
  constructor(message: string) {
    super('BadGateway', message, runtimeErrorStatus.BadGateway);
  }
}

/** The callee did not answer before the deadline (504). `options.cause` is for logs only. */
export class Timeout extends MeshError {
  constructor(message = 'deadline exceeded', options?: { cause?: unknown }) {
    super('Timeout', message, runtimeErrorStatus.Timeout, undefined, options);
  }
}
