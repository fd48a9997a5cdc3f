// The durable saga log as the orchestrator uses it: every transition is written here before the
// orchestrator acts on it, and every write is fenced by the lease owner, so a replica that lost a
// saga's lease writes nothing more for it. Two implementations: memory.ts (unit tests) and
// database.ts (PostgreSQL and PGlite, the service's own database).
import type { SagaRecord, SagaState, StepRecord } from '../types.js';

/**
 * A saga's record without its steps: what a list shows.
 *
 * @example
 * const rows: SagaSummary[] = await log.list({ state: 'stuck', limit: 20 });
 */
export type SagaSummary = Omit<SagaRecord, 'steps'>;

/**
 * A saga as the orchestrator drives it: its record and what only the orchestrator needs.
 *
 * @example
 * const loaded: LoadedSaga = { record, failedStepMayHaveApplied: true };
 */
export interface LoadedSaga {
  readonly record: SagaRecord;
  /** The failed step's outcome was unknown (its attempts ran out): its own compensation runs too. */
  readonly failedStepMayHaveApplied: boolean;
}

/**
 * A new saga, written with its first lease held by the orchestrator that starts it.
 *
 * @example
 * const created: NewSaga = { id: randomUUID(), saga: 'placeOrder', input: { userId: 'u-1' } };
 */
export interface NewSaga {
  readonly id: string;
  readonly saga: string;
  readonly input: unknown;
  /**
   * The saga's first step: its first attempt is written `started` (attempts 1) with the saga, in the
   * same write (one round trip instead of two). Its call comes after that write committed, as any
   * step's. Default none: the saga is written without steps.
   */
  readonly firstStep?: string;
}

/**
 * Which step (or compensation) a write is about.
 *
 * @example
 * const which: StepKey = { step: 'reserveInventory', phase: 'compensate' };
 */
export interface StepKey {
  readonly step: string;
  readonly phase: StepRecord['phase'];
}

/**
 * The end of a step's attempt: succeeded (with its output), failed for good, or failed with the
 * outcome unknown and another attempt to come (`retrying`: the step stays `started`, its error shown).
 *
 * @example
 * const result: StepResult = { step: 'charge', phase: 'forward', outcome: 'succeeded', output: { paymentId: 'p-1' } };
 */
export interface StepResult extends StepKey {
  readonly outcome: 'succeeded' | 'failed' | 'retrying';
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  /**
   * With `retrying`: the attempt was refused before anything was sent (the service's own open breaker
   * or full bulkhead) where that uses up no attempt (attempts.ts): its `started` is taken back
   * (attempts - 1), so a saga resumed after a crash still has the attempts it had.
   */
  readonly notSent?: boolean;
}

/**
 * The saga's next state, written in the same transaction as the step result that caused it.
 *
 * @example
 * const next: SagaTransition = { state: 'compensating', failure: { step: 'charge', code: 'Declined', message: 'card declined' }, failedStepMayHaveApplied: false };
 */
export interface SagaTransition {
  readonly state: Exclude<SagaState, 'running'>;
  /** The completed saga's output. */
  readonly output?: unknown;
  /** Set with `compensating` (kept afterwards). */
  readonly failure?: { readonly step: string; readonly code: string; readonly message: string };
  /** With `compensating`: whether the failed step's own compensation must run. */
  readonly failedStepMayHaveApplied?: boolean;
}

/**
 * One fenced write of {@link SagaLog.record}: a step's result, the saga's next state, or both, and
 * what else must commit with them.
 *
 * @example
 * const change: SagaChange = { result, next: { state: 'completed', output }, inTransaction: () => publish('placeOrder.completed', { sagaId, output }) };
 */
export interface SagaChange {
  readonly result?: StepResult;
  readonly next?: SagaTransition;
  /** Runs inside the write's transaction, after its statements; if it throws, nothing is written. */
  readonly inTransaction?: () => Promise<void>;
}

/**
 * Filter of {@link SagaLog.list}: newest first, at most `limit`.
 *
 * @example
 * const filter: SagaFilter = { state: 'stuck', saga: 'placeOrder', limit: 50 };
 */
export interface SagaFilter {
  readonly state?: SagaState;
  readonly saga?: string;
  readonly limit: number;
}

/**
 * The lease on a saga was lost (it expired and another replica claimed it, or the saga is no longer
 * this owner's): the write was refused and this replica must stop driving the saga.
 *
 * @example
 * try { await log.stepStarted(id, owner, key, leaseMs); } catch (err) { if (err instanceof LeaseLost) return; throw err; }
 */
export class LeaseLost extends Error {
  constructor(readonly sagaId: string) {
    super(`the lease on saga ${sagaId} was lost: another replica drives it`);
    this.name = 'LeaseLost';
  }
}

/**
 * What the orchestrator needs of a durable log. Every method taking `owner` is fenced: it writes
 * only while `owner` holds an unexpired lease on the saga, and rejects with {@link LeaseLost}
 * otherwise; each fenced write also extends the lease by `leaseMs`.
 *
 * @example
 * const log: SagaLog = createMemorySagaLog();
 * await log.create({ id, saga: 'placeOrder', input }, 'replica-1', 10_000, () => drive(id));
 */
export interface SagaLog {
  /**
   * Writes a new saga (`running`, leased to `owner`) in the caller's transaction when one is running,
   * else on its own. `onCommitted` runs once the saga is committed (never if it is rolled back).
   * Resolves false, writing nothing, when a saga with this id exists (a repeated start). With
   * `firstStep`, that step's first attempt is written `started` in the same write.
   */
  create(saga: NewSaga, owner: string, leaseMs: number, onCommitted: () => void): Promise<boolean>;
  /** Takes the lease on a saga in flight whose lease expired (or is already `owner`'s): its state, or undefined. */
  claim(id: string, owner: string, leaseMs: number): Promise<LoadedSaga | undefined>;
  /** Takes the leases of up to `limit` sagas in flight whose leases expired; resolves with their ids. */
  claimDue(owner: string, leaseMs: number, limit: number): Promise<string[]>;
  /** Extends `owner`'s leases on `ids`; resolves with the ids still held (the others were lost). */
  renew(ids: readonly string[], owner: string, leaseMs: number): Promise<string[]>;
  /** Gives the lease up (expires it now) so that another replica may resume the saga at once. */
  release(id: string, owner: string): Promise<void>;
  /**
   * Records a step's attempt as `started` BEFORE its call (attempts + 1). Fenced. `previous`, the
   * success of the step before, is written in the same write (one round trip per step instead of
   * two); a crash before it leaves that step `started`, called again with its key on resume.
   */
  stepStarted(id: string, owner: string, key: StepKey, leaseMs: number, previous?: StepResult): Promise<void>;
  /**
   * Records an attempt's result and/or the saga's next state in ONE transaction; `inTransaction`
   * runs inside it last (the final events go through the service's outbox there). Fenced. When
   * `next` is a final state (completed, compensated, stuck), resolves with the saga's record as that
   * write left it (what `get` would read once it committed), so a waiting request needs no read;
   * otherwise with undefined.
   */
  record(id: string, owner: string, leaseMs: number, change: SagaChange): Promise<SagaRecord | undefined>;
  /** One saga with its steps in the order they started. */
  get(id: string): Promise<SagaRecord | undefined>;
  /** Sagas newest first, filtered. */
  list(filter: SagaFilter): Promise<SagaSummary[]>;
  /** How many sagas are in each state. */
  counts(): Promise<Record<SagaState, number>>;
}
