// What travels in gRPC metadata besides the message: request id and caller on the way in, the
// MeshError on the way out (trailers), so both ends agree on one spelling.
import { Metadata } from '@grpc/grpc-js';
import { injectIntoMetadata } from '../observability/tracing/client.js';

export const REQUEST_ID = 'x-request-id';
export const ERROR_CODE = 'x-mesh-error-code';
export const ERROR_STATUS = 'x-mesh-error-status';
/** JSON of MeshError.details, with non-ASCII escaped (metadata values must be printable ASCII). */
export const ERROR_DETAILS = 'x-mesh-error-details';
/** The standard google.rpc.Status of a failed call (status-details.ts), binary. */
export const STATUS_DETAILS = 'grpc-status-details-bin';

/** The caller's key for a non-idempotent call: a repeat gets the first answer. */
export const IDEMPOTENCY_KEY = 'idempotency-key';
/** Wait the callee asks for before a retry, ms (gRPC's own retry pushback trailer). */
export const RETRY_PUSHBACK = 'grpc-retry-pushback-ms';

/** Metadata of an outgoing call; `caller` is what the caller's CallerTrust asserts (runtime/identity/trust.ts). */
export function requestMetadata(requestId: string | undefined, caller: readonly (readonly [string, string])[], idempotencyKey?: string): Metadata {
  const metadata = new Metadata();
  if (requestId) metadata.set(REQUEST_ID, requestId);
  if (idempotencyKey) metadata.set(IDEMPOTENCY_KEY, idempotencyKey);
  for (const [key, value] of caller) metadata.set(key, value);
  // The active span (this attempt's) as traceparent/tracestate; nothing when tracing is off.
  injectIntoMetadata(metadata);
  return metadata;
}

/** The first string value of a key, or undefined. */
export function text(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** JSON that is safe as an ASCII metadata value (and still parses to the same value). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
