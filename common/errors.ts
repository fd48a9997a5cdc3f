// The built-in errors every endpoint may declare, with their HTTP statuses. The generator checks and
// documents them; the runtime throws and maps them. One table, read by both.

export const builtinErrorStatus = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  Gone: 410,
  PreconditionFailed: 412,
  Unprocessable: 422,
  TooManyRequests: 429,
  Unavailable: 503,
} as const;

export type BuiltinErrorCode = keyof typeof builtinErrorStatus;

/** True when `name` is a built-in error code (own keys only: `toString` is not an error). */
export function isBuiltinError(name: string): name is BuiltinErrorCode {
  return Object.hasOwn(builtinErrorStatus, name);
}

/**
 * Codes the runtime answers with on its own (validation, routing, limits, unfinished hooks, deadlines,
 * an upstream that failed to answer). runtime/errors has a class for each. A service may not declare
 * an error with one of these codes: a client could not tell them apart.
 */
export const runtimeErrorStatus = {
  ValidationFailed: 400,
  MethodNotAllowed: 405,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  Internal: 500,
  NotImplemented: 501,
  BadGateway: 502,
  Timeout: 504,
} as const;

export type RuntimeErrorCode = keyof typeof runtimeErrorStatus;

/**
 * Codes that pass through any endpoint even when it does not declare them: a dependency being down
 * (503) or too slow (504) is not this service's bug, and a hook stub says it is not written yet (501).
 * Any other undeclared error a hook throws becomes a 500 `Internal`.
 */
export const passthroughErrorCodes = ['Unavailable', 'Timeout', 'NotImplemented'] as const satisfies readonly (BuiltinErrorCode | RuntimeErrorCode)[];
