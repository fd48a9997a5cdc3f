// The one way a request reaches a hook, whatever the transport. The host builds an Invoke for each
// service; the HTTP binding and the gRPC server only translate wire format to and from it.
import type { Caller } from '../context/index.js';
import type { DeferredField } from './context.js';
import type { EndpointDescriptor } from './definition.js';

export interface InvocationMeta {
  /** From `x-request-id` (HTTP header or gRPC metadata); made when absent. */
  requestId?: string;
  /** Epoch ms; null when the caller set none. */
  deadline: number | null;
  caller: Caller | null;
  /**
   * Aborted when the caller disconnects; or what makes that signal on first use (an HTTP request's:
   * an AbortSignal costs microseconds to make, and most hooks never look at theirs).
   */
  signal: AbortSignal | DeferredField<AbortSignal>;
  /**
   * True when the transport already validated the input against the endpoint's input type (the
   * HTTP binding's coercing pass found it valid): invoke does not check it again. Default false.
   */
  inputChecked?: boolean;
  /** From `Idempotency-Key` (HTTP) or `idempotency-key` metadata (gRPC); see idempotent-invoke.ts. */
  idempotencyKey?: string;
  /**
   * The caller's cancellation as a listener registry (an in-process call's resilience attempt), for
   * a request with a deadline: followed as well as `signal`, and far cheaper to follow than an
   * AbortSignal. It must abort at the deadline at the latest, with a Timeout (or subclass) reason
   * when the deadline is why: invoke then sets no timer of its own. Default none.
   */
  cancellation?: Cancellation;
}

/**
 * An abort that can be followed without an AbortSignal (a resilience attempt's scope).
 *
 * @example
 * const off = cancellation.onAbort((reason) => controller.abort(reason));
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` with the reason when it aborts; returns the unsubscribe. */
  onAbort(listener: (reason: unknown) => void): () => void;
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
