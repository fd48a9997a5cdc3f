// What the HTTP binding needs to answer a saga still in flight: an endpoint that starts a saga
// answers its status with `202 Accepted` while the saga runs (or compensates), and points at the
// saga's status endpoint with `Location` (its path, the one placeholder replaced by the saga id). gRPC and co-located callers get the status as is.
import type { EndpointDescriptor } from '../service/definition.js';

/**
 * The 202 answer for `output` of `endpoint`, or null when the endpoint answers as usual (not a saga
 * start, or the saga is final: completed answers the endpoint's success status, a failure is an error).
 *
 * @param endpoint - the endpoint answered
 * @param output - what its invoke resolved with (a SagaStatus for a saga start)
 * @example
 * sagaAccepted(placeOrder, { sagaId: 'b0c5', state: 'running' }); // { status: 202, location: '/orders/placements/b0c5' }
 */
export function sagaAccepted(endpoint: EndpointDescriptor, output: unknown): { readonly status: 202; readonly location: string | null } | null {
  const start = endpoint.startsSaga;
  if (!start || typeof output !== 'object' || output === null) return null;
  const { sagaId, state } = output as { sagaId?: unknown; state?: unknown };
  if (state !== 'running' && state !== 'compensating') return null;
  const location = start.statusPath !== null && typeof sagaId === 'string' ? start.statusPath.replace(/\{[^}]*\}/, encodeURIComponent(sagaId)) : null;
  return { status: 202, location };
}
