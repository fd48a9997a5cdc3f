// GET /api/sagas and /api/sagas/{owner}/{id}: the sagas of every owning service, read over HTTP from
// each owner's own documented routes (GET /sagas, GET /sagas/{id}: runtime/saga/routes.ts), as any
// other tool would. An owner that does not answer is listed under `unavailable`, not an error.
import { isSagaId } from '../../saga/ids.js';
import { DEFAULT_SAGA_LIST_LIMIT, MAX_SAGA_LIST_LIMIT } from '../../saga/routes.js';
import { SAGA_STATES } from '../../saga/types.js';
import type { SagaDetail, SagaList, SagaSummaryView } from './api-types.js';
import { ApiProblem } from './problem.js';
import { untracedHeaders } from './untraced.js';

/** How long one owner's answer may take, ms. */
export const SAGA_READ_TIMEOUT_MS = 2000;

/** An owner of sagas and where its service listens. */
export interface SagaOwner {
  readonly owner: string;
  /** Its service's HTTP origin (`http://127.0.0.1:3002`). */
  readonly url: string;
}

/**
 * The list query's values, checked: `state` one of the five, `limit` 1 to 200 (default 50).
 *
 * @param query - the request's search parameters
 * @throws ApiProblem 400 for a bad value
 * @example
 * sagaQueryOf(new URLSearchParams('state=stuck&limit=20')); // { state: 'stuck', limit: 20 }
 */
export function sagaQueryOf(query: URLSearchParams): { state?: SagaSummaryView['state']; limit: number } {
  const state = query.get('state');
  if (state !== null && state !== '' && !(SAGA_STATES as readonly string[]).includes(state)) {
    throw new ApiProblem(400, 'bad_query', `state must be one of ${SAGA_STATES.join(', ')}`);
  }
  const limit = intParam(query, 'limit', DEFAULT_SAGA_LIST_LIMIT, MAX_SAGA_LIST_LIMIT);
  return { limit, ...(state !== null && state !== '' ? { state: state as SagaSummaryView['state'] } : {}) };
}

/**
 * A positive integer query parameter no larger than `max`, `fallback` when absent.
 *
 * @param query - the search parameters
 * @param name - the parameter
 * @param fallback - its default
 * @param max - its largest value
 * @throws ApiProblem 400 for anything else
 * @example
 * intParam(new URLSearchParams('limit=5'), 'limit', 50, 500); // 5
 */
export function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) throw new ApiProblem(400, 'bad_query', `${name} must be an integer from 1 to ${max}`);
  return value;
}

/**
 * The sagas of every owner, newest first, at most `limit`.
 *
 * @param owners - the owning services now
 * @param query - state and limit (sagaQueryOf)
 * @example
 * const list = await listSagas([{ owner: 'orders', url: 'http://127.0.0.1:3002' }], { limit: 50 });
 */
export async function listSagas(owners: readonly SagaOwner[], query: { state?: string; limit: number }): Promise<SagaList> {
  const search = new URLSearchParams({ limit: String(query.limit), ...(query.state ? { state: query.state } : {}) });
  const answers = await Promise.all(
    owners.map(async ({ owner, url }) => {
      try {
        const { status, body } = await getJson(`${url}/sagas?${search}`);
        if (status !== 200 || !Array.isArray((body as { sagas?: unknown })?.sagas)) return { owner, error: `GET /sagas answered ${status}` };
        return { owner, sagas: ((body as { sagas: unknown[] }).sagas as Record<string, unknown>[]).map((s) => summaryOf(owner, s)) };
      } catch (err) {
        return { owner, error: `no answer from ${owner}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : ((err as { cause?: { code?: string } }).cause?.code ?? 'unreachable')}` };
      }
    }),
  );
  const sagas = answers
    .flatMap((a) => a.sagas ?? [])
    .sort((a, b) => b.createdAt - a.createdAt || b.updatedAt - a.updatedAt || a.id.localeCompare(b.id))
    .slice(0, query.limit);
  const unavailable = answers.flatMap((a) => (a.error !== undefined ? [{ owner: a.owner, error: a.error }] : []));
  return { sagas, unavailable };
}

/**
 * One saga of one owner, with its steps.
 *
 * @param owners - the owning services now
 * @param owner - the owner's name
 * @param id - the saga's id
 * @throws ApiProblem 400 for a malformed id, 404 for an unknown owner or id, 502 when the owner does not answer
 * @example
 * const detail = await sagaDetail(owners, 'orders', 'placeOrder-1');
 */
export async function sagaDetail(owners: readonly SagaOwner[], owner: string, id: string): Promise<SagaDetail> {
  if (!isSagaId(id)) throw new ApiProblem(400, 'bad_saga_id', 'a saga id has letters, digits and . _ : - only, at most 128 characters');
  const found = owners.find((o) => o.owner === owner);
  if (!found) throw new ApiProblem(404, 'unknown_owner', `no service of the stack owns sagas under the name ${owner.slice(0, 60)}`);
  let answer: { status: number; body: unknown };
  try {
    answer = await getJson(`${found.url}/sagas/${encodeURIComponent(id)}`);
  } catch {
    throw new ApiProblem(502, 'stack_unreachable', `${owner} did not answer GET /sagas/${id}`);
  }
  if (answer.status === 404) throw new ApiProblem(404, 'unknown_saga', `${owner} has no saga with id ${id}`);
  if (answer.status !== 200) throw new ApiProblem(502, 'stack_unreachable', `${owner} answered ${answer.status} to GET /sagas/${id}`);
  const record = answer.body as Record<string, unknown>;
  const steps = Array.isArray(record['steps']) ? (record['steps'] as Record<string, unknown>[]) : [];
  return {
    ...summaryOf(owner, record),
    input: record['input'] ?? null,
    output: record['output'] ?? null,
    steps: steps.map((s) => ({
      step: String(s['step']),
      phase: s['phase'] as 'forward' | 'compensate',
      outcome: s['outcome'] as 'started' | 'succeeded' | 'failed',
      attempts: Number(s['attempts']),
      startedAt: Number(s['startedAt']),
      finishedAt: typeof s['finishedAt'] === 'number' ? s['finishedAt'] : null,
      error: (s['error'] as { code: string; message: string } | undefined) ?? null,
    })),
  };
}

/**
 * A fingerprint of the sagas now (ids, states, update times): changes when one starts or moves.
 *
 * @param list - a saga list
 * @example
 * if (sagaFingerprint(list) !== last) hub.send('sagas', { at: Date.now() });
 */
export function sagaFingerprint(list: SagaList): string {
  return list.sagas.map((s) => `${s.owner}/${s.id}:${s.state}:${s.updatedAt}`).join('|');
}

function summaryOf(owner: string, s: Record<string, unknown>): SagaSummaryView {
  return {
    owner,
    id: String(s['id']),
    saga: String(s['saga']),
    state: s['state'] as SagaSummaryView['state'],
    failure: (s['failure'] as SagaSummaryView['failure'] | undefined) ?? null,
    createdAt: Number(s['createdAt']),
    updatedAt: Number(s['updatedAt']),
    finishedAt: typeof s['finishedAt'] === 'number' ? s['finishedAt'] : null,
  };
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(SAGA_READ_TIMEOUT_MS), headers: { accept: 'application/json', ...untracedHeaders() } });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: null };
  }
}
