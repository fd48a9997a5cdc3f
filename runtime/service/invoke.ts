// The one way a request reaches a hook, whatever the transport. The host builds an Invoke for each
// service; the HTTP binding and the gRPC server only translate wire format to and from it.
import type { Caller } from '../context/index.js';
import type { EndpointDescriptor } from './definition.js';

export interface InvocationMeta {
  /** From `x-request-id` (HTTP header or gRPC metadata); made when absent. */
  requestId?: string;
  /** Epoch ms; null when the caller set none. */
  deadline: number | null;
  caller: Caller | null;
  /** Aborted when the caller disconnects. */
  signal: AbortSignal;
  /** From `Idempotency-Key` (HTTP) or `idempotency-key` metadata (gRPC); see idempotent-invoke.ts. */
  idempotencyKey?: string;
}

/**
 * The signal of a request nobody can cancel but its deadline (an in-process call whose caller gave
 * none): invoke does not listen to it, which saves an event listener per call.
 *
 * @example
 * await invoke(endpoint, input, { deadline, caller, signal: NEVER_CANCELLED });
 */
export const NEVER_CANCELLED: AbortSignal = new AbortController().signal;

/**
 * Validates `input` against the endpoint's input type, runs the hook with a fresh context and
 * resolves with its output. Rejects only with MeshError: ValidationFailed (400), a declared
 * error, or InternalError (500) for anything else (logged with its stack, never sent).
 */
export type Invoke = (endpoint: EndpointDescriptor, input: unknown, meta: InvocationMeta) => Promise<unknown>;
