// Errors that cross service boundaries. A handler throws a MeshError whose code the endpoint
// declares; the binding maps it to a status (HTTP) or status code (gRPC) and the client on the
// other side rebuilds a MeshError with the same code. Anything else becomes a 500 `Internal`
// without leaking its message or stack.
import { builtinErrorStatus, runtimeErrorStatus, type BuiltinErrorCode } from '../../common/errors.js';

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

export { builtinErrorStatus, isBuiltinError, runtimeErrorStatus, type BuiltinErrorCode, type RuntimeErrorCode } from '../../common/errors.js';

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

// The codes the runtime answers with on its own, statuses from common/errors.ts (runtimeErrorStatus).

/** Input failed validation (400). `details` lists each problem with its JSON pointer. */
export class ValidationFailed extends MeshError {
  constructor(message: string, details: { path: string; message: string }[]) {
    super('ValidationFailed', message, runtimeErrorStatus.ValidationFailed, details);
  }
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

/** The request body is not JSON, or in an encoding or charset the binding does not read (415). */
export class UnsupportedMediaType extends MeshError {
  constructor(message: string) {
    super('UnsupportedMediaType', message, runtimeErrorStatus.UnsupportedMediaType);
  }
}

/** What a caller sees for an error that was not declared: status 500, no internals. */
export class InternalError extends MeshError {
  constructor(message = 'internal error') {
    super('Internal', message, runtimeErrorStatus.Internal);
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

/** The callee did not answer before the deadline (504). */
export class Timeout extends MeshError {
  constructor(message = 'deadline exceeded') {
    super('Timeout', message, runtimeErrorStatus.Timeout);
  }
}
