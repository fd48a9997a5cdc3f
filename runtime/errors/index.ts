// Errors that cross service boundaries. A handler throws a MeshError whose code the endpoint
// declares; the binding maps it to a status (HTTP) or status code (gRPC) and the client on the
// other side rebuilds a MeshError with the same code. Anything else becomes a 500 `Internal`
// without leaking its message or stack.
import { builtinErrorStatus, type BuiltinErrorCode } from '../../common/errors.js';

export interface MeshErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

export class MeshError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: string, message: string, status: number, details?: unknown) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.details = details;
  }

  toBody(requestId?: string): MeshErrorBody {
    const body: MeshErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    if (requestId) body.error.requestId = requestId;
    return body;
  }
}

/** True when `err` is a MeshError, and (when given) carries `code`. */
export function isMeshError(err: unknown, code?: string): err is MeshError {
  return err instanceof MeshError && (code === undefined || err.code === code);
}

export { builtinErrorStatus, isBuiltinError, type BuiltinErrorCode } from '../../common/errors.js';

function builtin(code: BuiltinErrorCode, fallback: string) {
  return class extends MeshError {
    constructor(message: string = fallback, details?: unknown) {
      super(code, message, builtinErrorStatus[code], details);
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

/** Input failed validation (400). `details` lists each problem with its JSON pointer. */
export class ValidationFailed extends MeshError {
  constructor(message: string, details: { path: string; message: string }[]) {
    super('ValidationFailed', message, 400, details);
  }
}

/** What a freshly generated hook stub throws until the user writes its body (501). */
export class NotImplemented extends MeshError {
  constructor(operation: string) {
    super('NotImplemented', `${operation} is not implemented yet: write its body in the hooks file`, 501);
  }
}

/** The callee did not answer before the deadline (504). */
export class Timeout extends MeshError {
  constructor(message = 'deadline exceeded') {
    super('Timeout', message, 504);
  }
}

/** What a caller sees for an error that was not declared: status 500, no internals. */
export class InternalError extends MeshError {
  constructor(message = 'internal error') {
    super('Internal', message, 500);
  }
}
