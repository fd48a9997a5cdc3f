// Endpoints answered by the orchestrator instead of a hook: one that starts a saga
// (`EndpointDescriptor.startsSaga`) and one that answers a saga's status (`sagaStatus`). Wrapped
// around the service's invoke, so HTTP, gRPC and co-located callers get the same answers; the HTTP
// binding turns a status still in flight into `202 Accepted` + `Location` (accepted.ts).
//
// A retried request: with an `Idempotency-Key`, the saga id is derived from it (ids.ts), so a retry
// finds the saga its first attempt started and answers what that saga is NOW (202 while in flight,
// the success status once completed, the error once compensated), never a stored first answer: these
// endpoints are not behind the idempotency store (which would replay a stale 202 forever). The same
// key with another input answers 422 (`reason: 'idempotency-key-reused'`), as for other endpoints.
import type { Logger } from 'pino';
import { Conflict, isMeshError, MeshError, NotFound, Timeout, Unavailable, Unprocessable, ValidationFailed } from '../errors/index.js';
import { StartupError } from '../host/startup-error.js';
import { checkInput } from '../service/check-input.js';
import { checkIdempotencyKey } from '../service/idempotent-invoke.js';
import type { EndpointDescriptor, SagaStartDescriptor, ServiceDefinition } from '../service/definition.js';
import type { InvocationMeta, Invoke } from '../service/invoke.js';
import type { Validators } from '../validation/types.js';
import { isSagaId, sagaIdFromKey } from './ids.js';
import type { SagaOrchestrator } from './orchestrator.js';
import type { SagaReader } from './routes.js';
import type { SagaRecord, SagaState, SagaStatus } from './types.js';

/** How long `wait: 'deadline'` waits when the caller set no deadline, ms. */
export const SAGA_WAIT_WITHOUT_DEADLINE_MS = 10_000;
/** What a wait leaves before the caller's deadline for the answer to travel back, ms at most (10 % of what is left when less). */
export const SAGA_WAIT_DEADLINE_MARGIN_MS = 500;

const IN_FLIGHT: ReadonlySet<SagaState> = new Set(['running', 'compensating']);
// How often a long wait looks whether its caller is still there, ms.
const WAIT_SLICE_MS = 1_000;

/**
 * What withSagaEndpoints needs.
 *
 * @example
 * const options: SagaEndpointsOptions = { definition, validators, logger, sagas: { orchestrator, reader: orchestrator, names: new Set(['placeOrder']) } };
 */
export interface SagaEndpointsOptions {
  readonly definition: ServiceDefinition;
  /** The service's strict validators: a saga endpoint's input is checked as any endpoint's. */
  readonly validators: Validators;
  readonly logger: Logger;
  /**
   * The service's orchestrator (undefined when it owns only choreographed sagas), where its sagas are
   * read (status endpoints answer both kinds) and their names; undefined for a service without sagas.
   */
  readonly sagas?: { readonly orchestrator: SagaOrchestrator | undefined; readonly reader: SagaReader; readonly names: ReadonlySet<string> } | undefined;
}

/**
 * Wraps `invoke` so that endpoints with `startsSaga` or `sagaStatus` are answered by the
 * orchestrator; every other endpoint goes to `invoke` untouched (the same function when there are none).
 *
 * @param invoke - the service's invoke (idempotency keys included)
 * @param options - definition, validators, logger, sagas
 * @throws StartupError when an endpoint names a saga the service does not run
 * @example
 * const invoke = withSagaEndpoints(withIdempotencyKeys(createInvoke(...), ...), { definition, validators, logger, sagas });
 */
export function withSagaEndpoints(invoke: Invoke, options: SagaEndpointsOptions): Invoke {
  const { definition, validators, logger, sagas } = options;
  const answered = definition.endpoints.filter((e) => e.startsSaga || e.sagaStatus !== undefined);
  if (answered.length === 0) return invoke;
  for (const endpoint of answered) {
    const saga = endpoint.startsSaga?.saga ?? endpoint.sagaStatus ?? '';
    if (!sagas?.names.has(saga)) {
      throw new StartupError(`${definition.name}.${endpoint.name} answers saga '${saga}', which ${definition.name} does not run (its host has ${sagas ? [...sagas.names].join(', ') || 'no sagas' : 'no sagas'}): regenerate the service`, { service: definition.name });
    }
    if (endpoint.startsSaga && !sagas.orchestrator) {
      throw new StartupError(`${definition.name}.${endpoint.name} starts saga '${saga}', which is choreographed: publishing its starts event starts it (regenerate the service)`, { service: definition.name });
    }
  }
  const { reader } = sagas!;
  // Checked above: every endpoint that starts a saga has an orchestrator.
  const orchestrator = sagas!.orchestrator!;
  const service = definition.name;

  const start = async (endpoint: EndpointDescriptor, descriptor: SagaStartDescriptor, input: unknown, meta: InvocationMeta): Promise<SagaStatus> => {
    checkInput(validators, endpoint, input, meta);
    if (meta.deadline !== null && meta.deadline <= Date.now()) throw new Timeout(`deadline passed before ${endpoint.name} started`);
    const key = meta.idempotencyKey;
    if (key !== undefined) checkIdempotencyKey(key);
    const id = key === undefined ? undefined : sagaIdFromKey({ service, saga: descriptor.saga, caller: meta.caller?.subject ?? 'anonymous' }, key);
    const sagaId = await orchestrator.start(descriptor.saga, input, id === undefined ? {} : { id });
    if (key !== undefined) {
      const existing = await orchestrator.get(sagaId);
      if (existing && fingerprint(existing.input) !== fingerprint(input)) {
        throw new Unprocessable(`Idempotency-Key '${key}' was used with another request to ${endpoint.name}`, { reason: 'idempotency-key-reused' });
      }
    }
    const record = await waitWhileListening(orchestrator, sagaId, waitMs(descriptor.wait, meta.deadline, Date.now()), meta);
    if (IN_FLIGHT.has(record.state) || record.state === 'completed') return sagaStatusOf(record);
    throw failureError(endpoint, record);
  };

  const status = async (endpoint: EndpointDescriptor, saga: string, input: unknown, meta: InvocationMeta): Promise<SagaStatus> => {
    checkInput(validators, endpoint, input, meta);
    if (meta.deadline !== null && meta.deadline <= Date.now()) throw new Timeout(`deadline passed before ${endpoint.name} started`);
    const param = endpoint.pathParams[0] ?? 'id';
    const id = (input as Record<string, unknown> | null)?.[param];
    if (typeof id !== 'string' || !isSagaId(id)) {
      throw new ValidationFailed('invalid saga id: letters, digits and . _ : - only, at most 128 characters', [{ path: `/${param}`, message: 'must be a saga id (letters, digits, . _ : -; at most 128 characters)' }]);
    }
    const record = await reader.get(id);
    // Another saga's id answers as an unknown one: this endpoint shows one saga only.
    if (!record || record.saga !== saga) throw new NotFound(`no ${saga} saga with id ${id}`);
    return sagaStatusOf(record);
  };

  const guarded = async (work: Promise<SagaStatus>, endpoint: EndpointDescriptor, meta: InvocationMeta): Promise<SagaStatus> => {
    try {
      return await work;
    } catch (err) {
      if (isMeshError(err)) throw err;
      // The log's database, or an orchestrator shutting down: retryable (a keyed retry finds the same saga).
      logger.warn({ err, operation: endpoint.name, requestId: meta.requestId }, `${endpoint.name} could not reach its sagas: answering 503`);
      throw new Unavailable(`${service} cannot reach its sagas now: retry`);
    }
  };

  return (endpoint, input, meta) => {
    if (endpoint.startsSaga) return guarded(start(endpoint, endpoint.startsSaga, input, meta), endpoint, meta);
    if (endpoint.sagaStatus !== undefined) return guarded(status(endpoint, endpoint.sagaStatus, input, meta), endpoint, meta);
    return invoke(endpoint, input, meta);
  };
}

/**
 * A saga's record as an endpoint answers it: id, state, output once completed (when the saga has
 * one), failure once it failed. Never its input.
 *
 * @param record - the log's record
 * @example
 * sagaStatusOf(record); // { sagaId: '0b6f...', state: 'completed', output: { orderId: 'o-1' } }
 */
export function sagaStatusOf(record: SagaRecord): SagaStatus {
  return {
    sagaId: record.id,
    state: record.state,
    ...(record.state === 'completed' && record.output !== undefined && record.output !== null ? { output: record.output } : {}),
    ...(record.failure ? { failure: { step: record.failure.step, code: record.failure.code, message: record.failure.message } } : {}),
  };
}

/**
 * How long a request starting a saga waits for it, ms: `wait` (null: none; `'deadline'`: until
 * shortly before the caller's deadline, SAGA_WAIT_WITHOUT_DEADLINE_MS without one), never past
 * shortly before the deadline.
 *
 * @param wait - the endpoint's `startsSaga.wait`
 * @param deadline - the caller's deadline, epoch ms, or null
 * @param now - epoch ms
 * @example
 * waitMs('deadline', Date.now() + 10_000, Date.now()); // 9500
 */
export function waitMs(wait: SagaStartDescriptor['wait'], deadline: number | null, now: number): number {
  if (wait === null) return 0;
  const left = deadline === null ? Infinity : deadline - now;
  const cap = left - Math.min(SAGA_WAIT_DEADLINE_MARGIN_MS, left / 10);
  const wanted = wait === 'deadline' ? (deadline === null ? SAGA_WAIT_WITHOUT_DEADLINE_MS : cap) : wait;
  return Math.max(0, Math.min(wanted, cap));
}

/**
 * orchestrator.wait in slices, so that a caller who went away (its signal aborted) stops the wait
 * within a slice instead of the log being polled for it until `ms` ends.
 */
async function waitWhileListening(orchestrator: SagaOrchestrator, id: string, ms: number, meta: InvocationMeta): Promise<SagaRecord> {
  const until = Date.now() + ms;
  const signal = ms > WAIT_SLICE_MS ? (meta.signal instanceof AbortSignal ? meta.signal : meta.signal.make()) : null;
  for (;;) {
    const left = until - Date.now();
    const record = await orchestrator.wait(id, Math.max(0, Math.min(left, WAIT_SLICE_MS)));
    if (!IN_FLIGHT.has(record.state) || left <= WAIT_SLICE_MS) return record;
    if (signal?.aborted) throw new Unavailable('the caller went away while its saga ran');
  }
}

/** The error a compensated or stuck saga answers: the failed step's, when the endpoint declares it; else 409. */
function failureError(endpoint: EndpointDescriptor, record: SagaRecord): MeshError {
  const failure = record.failure;
  const details = { sagaId: record.id };
  const declared = failure && Object.hasOwn(endpoint.errors, failure.code) ? endpoint.errors[failure.code] : undefined;
  if (failure && declared) return new MeshError(failure.code, failure.message, declared.status, details);
  const why = failure ? `step ${failure.step} failed (${failure.code}: ${failure.message})` : 'it failed';
  return new Conflict(`saga ${record.saga} was ${record.state === 'stuck' ? 'stopped (stuck, left for an operator)' : 'compensated'}: ${why}`, details);
}

/** The input as JSON with sorted keys: a stored input and a repeated one compare equal whatever their key order. */
function fingerprint(value: unknown): string {
  return JSON.stringify(sorted(JSON.parse(JSON.stringify(value ?? null)) as unknown));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
}
