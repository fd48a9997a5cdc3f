// Runs an effect at most once per key, over any IdempotencyStore. Callers in the same process that
// share a store object wait for the attempt in progress and then look again (no polling); a key held
// by another process is polled with backoff until it completes, is released, or its lease expires.
// The window between the effect and `complete` (a crash there) is covered by the lease: the key frees
// itself and a redelivery runs the effect again. Only an effect that commits in the same transaction
// as its key (the database store, called inside that transaction) closes that window; everything
// after `complete` (a lost ack, a redelivery) returns the stored result.
import { IdempotencyKeyBusy, IdempotencyLeaseLost } from './errors.js';
import type { IdempotencyStore } from './types.js';

/**
 * Options of {@link once}.
 *
 * @example
 * const options: OnceOptions = { leaseMs: 60_000, maxWaitMs: 5_000 };
 * await once(store, key, effect, options);
 */
export interface OnceOptions {
  /** How long a claim is exclusive: longer than the slowest effect. Default 30_000. */
  readonly leaseMs?: number;
  /** How long to wait for a key another process holds before IdempotencyKeyBusy. Default `leaseMs`. */
  readonly maxWaitMs?: number;
  /** First poll interval while another process holds the key, doubled up to `maxPollMs`. Default 25. */
  readonly pollMs?: number;
  /** Longest poll interval. Default 1_000. */
  readonly maxPollMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Waits between polls. Default a `setTimeout` of `ms`. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Attempts in progress per store object and key, so local duplicates wait instead of polling. */
const inFlight = new WeakMap<IdempotencyStore, Map<string, Promise<Attempt>>>();

const jsonCopy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * Runs `effect` at most once per `key` and returns its result, or the result stored by the run
 * that already completed. Results travel as JSON (as a database stores them): every caller, the
 * first included, gets the same JSON copy, so return JSON values (or nothing).
 *
 * - A concurrent call with the same key waits for the one in progress: in this process until it
 *   settles, elsewhere by polling up to `maxWaitMs`, then throws IdempotencyKeyBusy (retry later).
 * - A completed key returns its stored result without running the effect.
 * - A failing effect releases the key and rethrows, so a retry runs the effect again.
 * - A holder that crashed keeps the key until its lease expires; then a call runs the effect.
 *
 * @param store where the keys live
 * @param key the idempotency key, namespaced by the caller (`<service>:<handler>:<event id>`)
 * @param effect the side effect, run at most once per key while the lease holds
 * @param options.leaseMs exclusivity of a claim; default 30_000
 * @param options.maxWaitMs wait for another process's claim; default `leaseMs`
 * @param options.pollMs first poll interval; default 25
 * @param options.maxPollMs longest poll interval; default 1_000
 * @param options.now the clock; default `Date.now`
 * @param options.sleep waits between polls; default `setTimeout`
 * @example
 * const receipt = await once(store, `payments:charge:${envelope.id}`, () => charge(envelope.payload));
 */
export async function once<T>(store: IdempotencyStore, key: string, effect: () => Promise<T>, options: OnceOptions = {}): Promise<T> {
  const leaseMs = options.leaseMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? leaseMs;
  const maxPollMs = options.maxPollMs ?? 1_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  let pollMs = options.pollMs ?? 25;
  let flights = inFlight.get(store);
  if (!flights) inFlight.set(store, (flights = new Map()));
  const started = now();

  for (;;) {
    const local = flights.get(key);
    if (local) {
      // Its result counts only once the store shows it done to this caller: with a database store
      // inside a transaction the record commits with that transaction, which may still roll back
      // (then the key reads free here and this call claims it and runs the effect).
      const settled = await local.catch(() => undefined);
      if (settled?.status === 'value') {
        const record = await store.get(key);
        if (record?.state === 'done') return record.result as T;
      }
      continue;
    }
    // Registered before the first await, so a local duplicate sees it.
    const attempt = attemptOnce(store, key, effect, leaseMs);
    const tracked = attempt.finally(() => flights.delete(key));
    flights.set(key, tracked);
    const outcome = await tracked;
    if (outcome.status !== 'in-progress') return outcome.value as T;
    if (now() - started >= maxWaitMs) throw new IdempotencyKeyBusy(key, outcome.leaseExpiresAt);
    await sleep(pollMs);
    pollMs = Math.min(pollMs * 2, maxPollMs);
  }
}

type Attempt = { status: 'value'; value: unknown } | { status: 'in-progress'; leaseExpiresAt: number };

async function attemptOnce(store: IdempotencyStore, key: string, effect: () => Promise<unknown>, leaseMs: number): Promise<Attempt> {
  const claim = await store.claim(key, { leaseMs });
  if (claim.status === 'done') return { status: 'value', value: claim.result };
  if (claim.status === 'in-progress') return claim;
  let value: unknown;
  try {
    value = await effect();
  } catch (err) {
    // If the release fails too, the lease frees the key later; the effect's error is the one to report.
    await store.release(key, claim.token).catch(() => undefined);
    throw err;
  }
  let stored: unknown;
  let unserializable: unknown;
  try {
    stored = jsonCopy(value);
  } catch (err) {
    unserializable = err;
  }
  // The effect happened: record it even when its result cannot be stored, so it is not run again.
  if (!(await store.complete(key, claim.token, stored))) throw new IdempotencyLeaseLost(key);
  if (unserializable !== undefined) {
    throw new TypeError(`the effect of idempotency key '${key}' returned a value that is not JSON (it is recorded without a result)`, { cause: unserializable });
  }
  return { status: 'value', value: stored };
}
