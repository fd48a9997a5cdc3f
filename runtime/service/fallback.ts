// A call's fallback as the hook file writes it: a function that answers instead of a dependency's
// endpoint when the call fails with one of the failures its policy names (`fallback.on`, by default
// the dependency's own unavailability: refused, timed out, overloaded, circuit open). The spec names
// it per endpoint of a dependency (`calls.users.endpoints.getUser.fallback: guestUser`) and the
// generated `<Service>Fallbacks` interface types it with the endpoint's input and output.
import type { FailureKind } from '../resilience/classify.js';

/**
 * Why a fallback is answering: the dependency and endpoint called, the kind of failure and the error
 * the call failed with (a MeshError such as `Unavailable` or `CircuitOpen`).
 *
 * @example
 * async guestUser(input, failure) {
 *   log.warn({ kind: failure.kind }, `users.getUser failed, answering a guest`);
 *   return { id: input.id, name: 'guest' };
 * }
 */
export interface CallFailure {
  /** The service called, e.g. `users`. */
  readonly dependency: string;
  /** The callee's endpoint, e.g. `getUser`. */
  readonly endpoint: string;
  readonly kind: FailureKind;
  readonly error: unknown;
}

/**
 * A fallback function as the runtime calls it: the call's input and why it failed; its answer (or
 * its error) is what the caller gets.
 *
 * @example
 * const fallback: FallbackHook = async (input, failure) => cache.get((input as { id: string }).id);
 */
export type FallbackHook = (input: never, failure: CallFailure) => Promise<unknown>;
