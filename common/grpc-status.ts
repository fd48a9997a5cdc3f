// gRPC status codes (google.rpc.Code) by name, and the code an error gets over gRPC when its
// declaration names none. The generator checks and documents the names; the runtime answers with
// the numbers. One table, read by both.

/** Every code an error may carry (not OK, which is no error). */
export const grpcStatusCodes = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusName = keyof typeof grpcStatusCodes;

/** True when `name` is a gRPC status code name (own keys only). */
export function isGrpcStatusName(name: string): name is GrpcStatusName {
  return Object.hasOwn(grpcStatusCodes, name);
}

/**
 * The default code per HTTP status, after google.rpc.Code's documented HTTP mapping read backwards.
 * Where one status has several codes, the most general wins and a declaration can be more precise:
 * 409 is ABORTED (a conflict with the current state; ALREADY_EXISTS is for "create" conflicts, e.g.
 * `EmailTaken: { status: 409, grpc: ALREADY_EXISTS }`). 422 is FAILED_PRECONDITION: meshspec answers
 * malformed input with 400, so a 422 is input that is well-formed but cannot be processed in the
 * current state (a user that does not exist, an amount that differs from the order's total).
 */
export const grpcStatusByHttpStatus: Readonly<Record<number, GrpcStatusName>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ABORTED',
  410: 'NOT_FOUND',
  412: 'FAILED_PRECONDITION',
  413: 'RESOURCE_EXHAUSTED',
  415: 'INVALID_ARGUMENT',
  416: 'OUT_OF_RANGE',
  422: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * The code of an error with this HTTP status and no declared code. Statuses outside the table keep
 * their class through the code's own HTTP mapping: another 4xx is FAILED_PRECONDITION (which maps
 * back to 400), another 5xx UNKNOWN (500), so a gateway transcoding gRPC to HTTP still answers
 * "client error" or "server error" rightly.
 */
export function defaultGrpcStatus(httpStatus: number): GrpcStatusName {
  const known = grpcStatusByHttpStatus[httpStatus];
  if (known !== undefined) return known;
  return httpStatus >= 400 && httpStatus < 500 ? 'FAILED_PRECONDITION' : 'UNKNOWN';
}
