// The server side of idempotency keys. A request to a non-idempotent endpoint (POST and PATCH unless
// declared `idempotent`) that carries a key (`Idempotency-Key` header, `idempotency-key` gRPC
// metadata) runs once per (caller, endpoint, key): a repeat gets the first answer, the output or a
// declared error, without running the hook again. So a client may retry such a call with its key,
// and the effect happens once however many attempts reach the service.
//
// - A repeat while the first is still running waits for it (in this process until it settles; across
//   processes sharing a Redis store by polling), up to the repeat's own deadline and at most the
//   lease; past that it gets 409 Conflict (`reason: 'idempotency-key-in-progress'`), which is not
//   retried: the first attempt's answer is on its way to the caller.
// - A failure that is not a declared error (500, 503, a timeout, ValidationFailed) is not stored: the
//   key is freed and a retry runs the hook again.
// - The same key with another input gets 422 Unprocessable (`reason: 'idempotency-key-reused'`).
// - Idempotent endpoints ignore the key: running them again is harmless by definition.
// At the invoke level, so HTTP and gRPC share it; keys live in the host's IdempotencyStore.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { BadRequest, Conflict, InternalError, isMeshError, MeshError, Unavailable, Unprocessable } from '../errors/index.js';
import { IdempotencyKeyBusy, IdempotencyLeaseLost, IdempotencyStoreFull } from '../idempotency/errors.js';
import { once } from '../idempotency/once.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import type { EndpointDescriptor, ServiceDefinition } from './definition.js';
import type { InvocationMeta, Invoke } from './invoke.js';

/**
 * Options of {@link withIdempotencyKeys}.
 *
 * @example
 * const options: IdempotencyKeyOptions = { definition, store: createMemoryIdempotencyStore(), logger };
 */
export interface IdempotencyKeyOptions {
  definition: ServiceDefinition;
  /** Where first answers are kept (the host's store: memory, or Redis shared by the replicas). */
  store: IdempotencyStore;
  logger: Logger;
  /** How long a first request holds its key before a crashed holder's key frees itself, ms. Default 30000 (longer when the request's deadline is). */
  leaseMs?: number;
  /**
   * Runs each keyed request (the hook and its key's record) as one unit. A service with storage
   * passes its database's transaction, with the store in that database: the hook's writes, its
   * events (through the outbox) and the first answer commit together or not at all. Default: none.
   */
  transaction?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** What is kept for a key: the input's fingerprint and the first answer. */
interface StoredAnswer {
  readonly input: string;
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string; readonly status: number; readonly details?: unknown };
}

// Printable ASCII without spaces, as header values and metadata travel; long enough for a UUID and a prefix.
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/**
 * Refuses an idempotency key no store keeps: 1 to 255 printable ASCII characters without spaces.
 *
 * @param key - as the caller sent it (`Idempotency-Key` header or `idempotency-key` metadata)
 * @throws BadRequest (400) when it has another shape
 * @example
 * checkIdempotencyKey('order-42'); // passes; checkIdempotencyKey('a b') throws BadRequest
 */
export function checkIdempotencyKey(key: string): void {
  if (!KEY_SHAPE.test(key)) throw new BadRequest('Idempotency-Key must be 1 to 255 printable ASCII characters without spaces');
}

/**
 * Wraps `invoke` so that requests to non-idempotent endpoints with an idempotency key run once per
 * (caller, endpoint, key).
 *
 * @param invoke The service's invoke.
 * @param options definition, store, logger; leaseMs (default 30000).
 * @example
 * const invoke = withIdempotencyKeys(createInvoke({ ... }), { definition, store, logger });
 */
export function withIdempotencyKeys(invoke: Invoke, options: IdempotencyKeyOptions): Invoke {
  const { definition, store, logger, transaction } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const keyed = async (endpoint: EndpointDescriptor, input: unknown, meta: InvocationMeta, key: string): Promise<unknown> => {
    checkIdempotencyKey(key);
    const caller = meta.caller?.subject ?? 'anonymous';
    const storeKey = `${definition.name}:@request:${endpoint.name}:${encodeURIComponent(caller)}:${encodeURIComponent(key)}`;
    const fingerprint = createHash('sha256').update(JSON.stringify(input) ?? '').digest('base64url');
    const now = Date.now();
    const remaining = meta.deadline === null ? leaseMs : Math.max(0, meta.deadline - now);
    let ran = false;
    let stored: StoredAnswer;
    try {
      const first = () => once<StoredAnswer>(
        store,
        storeKey,
        async () => {
          ran = true;
          try {
            return { input: fingerprint, output: await invoke(endpoint, input, meta) };
          } catch (err) {
            // A declared error is the endpoint's answer: kept like an output. Anything else frees the key.
            if (isMeshError(err) && Object.hasOwn(endpoint.errors, err.code)) {
              return { input: fingerprint, error: { code: err.code, message: err.message, status: err.status, ...(err.details !== undefined ? { details: err.details } : {}) } };
            }
            throw err;
          }
        },
        { leaseMs: Math.max(leaseMs, remaining + 1_000), maxWaitMs: Math.min(remaining, leaseMs) },
      );
      // A declared error is an answer: its transaction commits (what the hook wrote before throwing
      // it stays, as it would without a key). Any other failure rolls everything back.
      stored = await (transaction ? transaction(first) : first());
    } catch (err) {
      throw storeFailure(err, endpoint, key, logger);
    }
    if (stored.input !== fingerprint) {
      throw new Unprocessable(`Idempotency-Key '${key}' was used with another request to ${endpoint.name}`, { reason: 'idempotency-key-reused' });
    }
    if (!ran) logger.debug({ operation: endpoint.name, requestId: meta.requestId, caller }, 'answered a repeated idempotency key with the first answer');
    if (stored.error) throw new MeshError(stored.error.code, stored.error.message, stored.error.status, stored.error.details);
    return stored.output;
  };
  // Without a key (most requests) the call goes straight through: no promise of ours in between.
  return (endpoint, input, meta) => {
    const key = meta.idempotencyKey;
    return key === undefined || isIdempotent(endpoint) ? invoke(endpoint, input, meta) : keyed(endpoint, input, meta, key);
  };
}

/**
 * Whether an endpoint may be called twice for the effect of once: its declaration, else its method
 * (GET, PUT and DELETE are; POST and PATCH are not). Clients retry only these without a key.
 *
 * @param endpoint The endpoint.
 * @example
 * isIdempotent({ ...createOrder, method: 'POST' }); // false unless it declares idempotent: true
 */
export function isIdempotent(endpoint: EndpointDescriptor): boolean {
  return endpoint.idempotent ?? (endpoint.method === 'GET' || endpoint.method === 'PUT' || endpoint.method === 'DELETE');
}

function storeFailure(err: unknown, endpoint: EndpointDescriptor, key: string, logger: Logger): MeshError {
  if (isMeshError(err)) return err;
  if (err instanceof IdempotencyKeyBusy) {
    return new Conflict(`a request to ${endpoint.name} with Idempotency-Key '${key}' is still in progress`, { reason: 'idempotency-key-in-progress' });
  }
  if (err instanceof IdempotencyStoreFull) {
    logger.warn({ err, operation: endpoint.name }, 'idempotency store full');
    return new Unavailable('too many requests with idempotency keys in progress');
  }
  if (err instanceof IdempotencyLeaseLost) {
    logger.error({ err, operation: endpoint.name }, 'the request outlived its idempotency lease');
    return new InternalError();
  }
  logger.error({ err, operation: endpoint.name }, 'idempotency store failed');
  return new Unavailable('the idempotency store is unavailable');
}
