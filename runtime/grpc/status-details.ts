// `grpc-status-details-bin`: the google.rpc.Status of a failed call, which standard gRPC tooling
// (grpcurl, buf curl, the richer error models of grpc-java, grpc-go and others) decodes. It holds a
// google.rpc.ErrorInfo for every error and, for a validation failure, a google.rpc.BadRequest with
// one field violation per problem. meshspec's own trailers (metadata.ts) carry the same error for
// meshspec clients.
import type { MeshError } from '../errors/index.js';
import { standardType } from './standard-protos.js';

const Status = standardType('google.rpc.Status');
const ErrorInfo = standardType('google.rpc.ErrorInfo');
const BadRequest = standardType('google.rpc.BadRequest');
const TYPE_URL_PREFIX = 'type.googleapis.com/';

export interface StatusDetailsContext {
  /** ErrorInfo.domain: the fully qualified proto service that answered (`shop.orders.v1.OrdersService`). */
  readonly domain: string;
  /** The request's proto field path of a JSON pointer into the input. */
  fieldPath(pointer: string): string;
}

/** The encoded google.rpc.Status of `err`, answered with gRPC status `code`. */
export function statusDetails(err: MeshError, code: number, context: StatusDetailsContext): Buffer {
  const details = [any(ErrorInfo, errorInfo(err, context.domain))];
  const violations = fieldViolations(err, context);
  if (violations.length > 0) details.push(any(BadRequest, { field_violations: violations }));
  return Buffer.from(Status.encode({ code, message: err.message, details }).finish());
}

/**
 * `reason` is the error code exactly as HTTP's body and meshspec's trailers spell it (`OutOfStock`),
 * so a client matches one string whatever the transport; Google's own APIs write reasons in
 * UPPER_SNAKE_CASE, which is a convention of theirs, not something decoders check. `metadata` holds
 * the HTTP status and the details' top-level scalars (ErrorInfo metadata is a string map; the
 * details whole, nested values included, stay in `x-mesh-error-details`).
 */
function errorInfo(err: MeshError, domain: string): Record<string, unknown> {
  const metadata: Record<string, string> = {};
  const details = err.details;
  if (typeof details === 'object' && details !== null && !Array.isArray(details)) {
    for (const [key, value] of Object.entries(details)) {
      // ErrorInfo's documented key syntax; other keys are left to x-mesh-error-details.
      if (!/^[a-z][a-zA-Z0-9_-]{0,63}$/.test(key)) continue;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') metadata[key] = String(value);
    }
  }
  metadata['httpStatus'] = String(err.status);
  return { reason: err.code, domain, metadata };
}

interface Issue {
  path: string;
  message: string;
}

/** ValidationFailed's details (`{ path, message }[]`, JSON pointers into the input) as field violations. */
function fieldViolations(err: MeshError, context: StatusDetailsContext): Record<string, unknown>[] {
  if (err.code !== 'ValidationFailed' || !Array.isArray(err.details)) return [];
  return err.details.filter(isIssue).map((issue) => ({ field: context.fieldPath(pointerOf(issue)), description: issue.message }));
}

function isIssue(value: unknown): value is Issue {
  const v = value as Partial<Issue> | null;
  return typeof v === 'object' && v !== null && typeof v.path === 'string' && typeof v.message === 'string';
}

/** JSON Schema reports a missing property at its parent; the violation is the missing field's. */
function pointerOf(issue: Issue): string {
  const missing = /^must have required property '(.+)'$/.exec(issue.message)?.[1];
  return missing === undefined ? issue.path : `${issue.path}/${missing.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function any(type: typeof Status, value: Record<string, unknown>): Record<string, unknown> {
  return { type_url: `${TYPE_URL_PREFIX}${type.fullName.slice(1)}`, value: type.encode(value).finish() };
}
