// How a generated client reaches another service. The client is transport-agnostic: it hands the
// endpoint descriptor and input to a ClientTransport (HTTP or gRPC, later in-process).
import type { Caller } from '../context/index.js';
import type { EndpointDescriptor } from '../service/definition.js';

export interface CallOptions {
  /** Propagated as `x-request-id`. */
  requestId?: string;
  /** Epoch ms; propagated so the callee knows how long the caller waits. */
  deadline?: number | null;
  /** Per-call timeout in ms (applied on top of the deadline, whichever is sooner). */
  timeoutMs?: number;
  signal?: AbortSignal;
  caller?: Caller | null;
  /**
   * Sent as `Idempotency-Key` (HTTP) or `idempotency-key` metadata (gRPC): the callee answers a repeat
   * with the first answer, so a non-idempotent endpoint may be retried with it.
   */
  idempotencyKey?: string;
}

export interface ClientTransport {
  /**
   * Calls `endpoint` with `input`; resolves with the decoded output (undefined for no output),
   * rejects with a MeshError carrying the callee's declared code, or `Unavailable` when the
   * service cannot be reached, or `Timeout` (504) when the deadline passes.
   */
  call(endpoint: EndpointDescriptor, input: unknown, options: CallOptions): Promise<unknown>;
  close(): Promise<void>;
}
