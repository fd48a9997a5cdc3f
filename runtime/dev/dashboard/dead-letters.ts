// The dead-letter routes' inputs, checked before the events source sees them: the list's filter
// (GET /api/dead-letters?service=&event=&limit=) and a replay's body (POST /api/dead-letters/replay).
import type { ReplayRequest } from './api-types.js';
import { ApiProblem } from './problem.js';
import { intParam } from './sagas.js';

/** Dead letters a list answers at most (and by default). */
export const MAX_DEAD_LETTERS = 500;
/** Ids one replay may name. */
export const MAX_REPLAY_IDS = 1000;

/**
 * The list's filter from its query.
 *
 * @param query - the request's search parameters
 * @throws ApiProblem 400 for a bad limit
 * @example
 * deadLetterFilterOf(new URLSearchParams('service=orders&limit=10')); // { service: 'orders', limit: 10 }
 */
export function deadLetterFilterOf(query: URLSearchParams): { service?: string; event?: string; limit: number } {
  const service = query.get('service');
  const event = query.get('event');
  return {
    limit: intParam(query, 'limit', MAX_DEAD_LETTERS, MAX_DEAD_LETTERS),
    ...(service ? { service } : {}),
    ...(event ? { event } : {}),
  };
}

/**
 * Checks a replay's body: `{ "service": "<group's service>", "ids": ["..."] | "all" }`.
 *
 * @param value - the parsed body
 * @param services - the stack's services (a replay names one)
 * @throws ApiProblem 400 for a wrong shape, 404 for a service not in the stack
 * @example
 * replayRequestOf({ service: 'orders', ids: 'all' }, ['orders', 'users']);
 */
export function replayRequestOf(value: unknown, services: readonly string[]): ReplayRequest {
  const bad = (message: string) => new ApiProblem(400, 'bad_request', message);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the body must be a JSON object: { "service": "orders", "ids": ["..."] } or "ids": "all"');
  const { service, ids, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw bad(`unknown field '${extra.slice(0, 40)}' (service, ids)`);
  if (typeof service !== 'string' || service === '') throw bad("'service' must name the subscribing service whose dead letters to replay");
  if (ids !== 'all' && !(Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string' && id !== '' && id.length <= 200))) {
    throw bad(`'ids' must be "all" or a non-empty array of dead-letter ids`);
  }
  if (Array.isArray(ids) && ids.length > MAX_REPLAY_IDS) throw bad(`'ids' may name at most ${MAX_REPLAY_IDS} dead letters`);
  if (!services.includes(service)) throw new ApiProblem(404, 'unknown_service', `no service ${service.slice(0, 60)} in the stack`);
  return { service, ids: ids as ReplayRequest['ids'] };
}
