// The owning service's view of its sagas, served next to its endpoints as extra routes:
// `GET /sagas/{id}` (one saga, each step's outcome and timing) and `GET /sagas?state=&saga=&limit=`
// (newest first, bounded). Read-only: resolving a stuck saga is a person's job, with the log's tables.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFound, ValidationFailed, type IssueDetail } from '../errors/index.js';
import type { ExtraRoutes } from '../http/extra-routes.js';
import { sendJson } from '../http/respond.js';
import { isSagaId } from './ids.js';
import type { SagaFilter, SagaSummary } from './log/types.js';
import { SAGA_STATES, type SagaRecord, type SagaState } from './types.js';

/** Sagas a list answers at most. */
export const MAX_SAGA_LIST_LIMIT = 200;
/** Sagas a list answers when `limit` is not given. */
export const DEFAULT_SAGA_LIST_LIMIT = 50;

const SAGA_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

/**
 * What the routes read: the orchestrator or the log itself.
 *
 * @example
 * const reader: SagaReader = orchestrator;
 */
export interface SagaReader {
  get(id: string): Promise<SagaRecord | undefined>;
  list(filter: SagaFilter): Promise<SagaSummary[]>;
}

/**
 * The `/sagas` routes over `reader`. A malformed id or query answers 400 (ValidationFailed, naming
 * each problem), an unknown id 404 (NotFound).
 *
 * @param reader - where sagas are read (an orchestrator or a SagaLog)
 * @example
 * export const routes: OrdersRoutes = [...sagaRoutes(orchestrator)];
 * // GET /sagas?state=stuck&limit=20 -> { "sagas": [ { "id": "...", "saga": "placeOrder", "state": "stuck", "failure": {...}, ... } ] }
 */
export function sagaRoutes(reader: SagaReader): ExtraRoutes {
  return [
    {
      method: 'GET',
      path: '/sagas/{id}',
      async handle(_req, res, params) {
        const id = params['id'] ?? '';
        if (!isSagaId(id)) {
          throw new ValidationFailed('invalid saga id: letters, digits and . _ : - only, at most 128 characters', [
            { path: '/id', message: 'must be a saga id (letters, digits, . _ : -; at most 128 characters)' },
          ]);
        }
        const record = await reader.get(id);
        if (!record) throw new NotFound(`no saga with id ${id}`);
        sendJson(res, 200, record);
      },
    },
    {
      method: 'GET',
      path: '/sagas',
      async handle(req: IncomingMessage, res: ServerResponse) {
        const filter = filterOf(req.url ?? '/sagas');
        sendJson(res, 200, { sagas: await reader.list(filter) });
      },
    },
  ];
}

/**
 * Reads and checks the list's query: `state` (one of the five), `saga` (a saga name), `limit`
 * (1..MAX_SAGA_LIST_LIMIT, default DEFAULT_SAGA_LIST_LIMIT); anything else is refused.
 *
 * @param url - the request's URL (path and query)
 * @example
 * filterOf('/sagas?state=stuck&limit=10'); // { state: 'stuck', limit: 10 }
 */
export function filterOf(url: string): SagaFilter {
  const query = new URL(url, 'http://localhost').searchParams;
  const issues: IssueDetail[] = [];
  const single = (name: string): string | undefined => {
    const values = query.getAll(name);
    if (values.length > 1) issues.push({ path: `/${name}`, message: 'must be given once' });
    return values[0];
  };
  for (const name of new Set(query.keys())) {
    if (!['state', 'saga', 'limit'].includes(name)) issues.push({ path: `/${name}`, message: 'is not a parameter of /sagas (state, saga, limit)' });
  }
  const state = single('state');
  if (state !== undefined && !(SAGA_STATES as readonly string[]).includes(state)) issues.push({ path: '/state', message: `must be one of ${SAGA_STATES.join(', ')}` });
  const saga = single('saga');
  if (saga !== undefined && !SAGA_NAME_PATTERN.test(saga)) issues.push({ path: '/saga', message: 'must be a saga name' });
  const limitText = single('limit');
  const limit = limitText === undefined ? DEFAULT_SAGA_LIST_LIMIT : /^\d{1,6}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_SAGA_LIST_LIMIT)) issues.push({ path: '/limit', message: `must be an integer from 1 to ${MAX_SAGA_LIST_LIMIT}` });
  if (issues.length > 0) throw new ValidationFailed(`invalid query for GET /sagas: ${issues.map((i) => `${i.path.slice(1)} ${i.message}`).join('; ')}`, issues);
  return { limit, ...(state !== undefined ? { state: state as SagaState } : {}), ...(saga !== undefined ? { saga } : {}) };
}
