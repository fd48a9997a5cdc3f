// The saga log in memory, for unit tests of the orchestrator: the same fencing and transitions as
// the database log, with nothing durable (a process that stops loses every saga).
import type { SagaRecord, SagaState, StepRecord } from '../types.js';
import { LeaseLost, type LoadedSaga, type NewSaga, type SagaChange, type SagaFilter, type SagaLog, type SagaSummary, type StepResult } from './types.js';

interface Entry {
  summary: Mutable<SagaSummary>;
  steps: Mutable<StepRecord>[];
  failedStepMayHaveApplied: boolean;
  owner: string | undefined;
  leaseExpiresAt: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const IN_FLIGHT: ReadonlySet<SagaState> = new Set(['running', 'compensating']);

/**
 * Options of {@link createMemorySagaLog}.
 *
 * @example
 * const options: MemorySagaLogOptions = { now: () => clock.now };
 */
export interface MemorySagaLogOptions {
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A saga log held in memory (unit tests only: nothing survives the process).
 *
 * @param options - `now`: the clock (default `Date.now`)
 * @example
 * const log = createMemorySagaLog();
 * const orchestrator = createSagaOrchestrator({ service: 'orders', sagas, log, logger, ... });
 */
export function createMemorySagaLog(options: MemorySagaLogOptions = {}): SagaLog {
  const now = options.now ?? Date.now;
  const sagas = new Map<string, Entry>();

  // Fencing: only the unexpired lease's owner writes.
  const fenced = (id: string, owner: string): Entry => {
    const entry = sagas.get(id);
    if (!entry || entry.owner !== owner || entry.leaseExpiresAt <= now() || !IN_FLIGHT.has(entry.summary.state)) throw new LeaseLost(id);
    return entry;
  };
  const recordOf = (entry: Entry): SagaRecord => structuredClone({ ...entry.summary, steps: entry.steps });
  const claimable = (entry: Entry, owner: string) => IN_FLIGHT.has(entry.summary.state) && (entry.owner === owner || entry.leaseExpiresAt <= now());

  return {
    async create(saga: NewSaga, owner, leaseMs, onCommitted) {
      if (sagas.has(saga.id)) return false;
      const at = now();
      sagas.set(saga.id, {
        summary: { id: saga.id, saga: saga.saga, state: 'running', input: structuredClone(saga.input), createdAt: at, updatedAt: at },
        steps: saga.firstStep === undefined ? [] : [{ step: saga.firstStep, phase: 'forward', outcome: 'started', attempts: 1, startedAt: at }],
        failedStepMayHaveApplied: false,
        owner,
        leaseExpiresAt: at + leaseMs,
      });
      onCommitted();
      return true;
    },

    async claim(id, owner, leaseMs): Promise<LoadedSaga | undefined> {
      const entry = sagas.get(id);
      if (!entry || !claimable(entry, owner)) return undefined;
      entry.owner = owner;
      entry.leaseExpiresAt = now() + leaseMs;
      return { record: recordOf(entry), failedStepMayHaveApplied: entry.failedStepMayHaveApplied };
    },

    async claimDue(owner, leaseMs, limit) {
      const due = [...sagas.values()]
        .filter((entry) => IN_FLIGHT.has(entry.summary.state) && entry.leaseExpiresAt <= now())
        .sort((a, b) => a.leaseExpiresAt - b.leaseExpiresAt)
        .slice(0, limit);
      for (const entry of due) {
        entry.owner = owner;
        entry.leaseExpiresAt = now() + leaseMs;
      }
      return due.map((entry) => entry.summary.id);
    },

    async renew(ids, owner, leaseMs) {
      const held: string[] = [];
      for (const id of ids) {
        const entry = sagas.get(id);
        if (!entry || entry.owner !== owner || entry.leaseExpiresAt <= now() || !IN_FLIGHT.has(entry.summary.state)) continue;
        entry.leaseExpiresAt = now() + leaseMs;
        held.push(id);
      }
      return held;
    },

    async release(id, owner) {
      const entry = sagas.get(id);
      if (entry?.owner === owner) entry.leaseExpiresAt = now();
    },

    async stepStarted(id, owner, key, leaseMs, previous) {
      const entry = fenced(id, owner);
      const at = now();
      if (previous) applyResult(id, entry.steps, previous, at);
      const existing = entry.steps.find((s) => s.step === key.step && s.phase === key.phase);
      if (existing) {
        existing.outcome = 'started';
        existing.attempts += 1;
        delete existing.finishedAt;
      } else entry.steps.push({ step: key.step, phase: key.phase, outcome: 'started', attempts: 1, startedAt: at });
      entry.summary.updatedAt = at;
      entry.leaseExpiresAt = at + leaseMs;
    },

    async record(id, owner, leaseMs, change: SagaChange) {
      const entry = fenced(id, owner);
      // The callback first: if it throws, nothing is written (as a rolled-back transaction).
      await change.inTransaction?.();
      fenced(id, owner);
      const at = now();
      const { result, next } = change;
      if (result) applyResult(id, entry.steps, result, at);
      if (next) {
        entry.summary.state = next.state;
        if (next.output !== undefined) entry.summary.output = structuredClone(next.output);
        if (next.failure) entry.summary.failure = next.failure;
        if (next.failedStepMayHaveApplied !== undefined) entry.failedStepMayHaveApplied = next.failedStepMayHaveApplied;
        if (!IN_FLIGHT.has(next.state)) {
          entry.summary.finishedAt = at;
          entry.owner = undefined;
        }
      }
      entry.summary.updatedAt = at;
      entry.leaseExpiresAt = at + leaseMs;
      return next && !IN_FLIGHT.has(next.state) ? recordOf(entry) : undefined;
    },

    async get(id) {
      const entry = sagas.get(id);
      return entry ? recordOf(entry) : undefined;
    },

    async list(filter: SagaFilter) {
      return [...sagas.values()]
        .filter((e) => (filter.state === undefined || e.summary.state === filter.state) && (filter.saga === undefined || e.summary.saga === filter.saga))
        .sort((a, b) => b.summary.createdAt - a.summary.createdAt || (a.summary.id < b.summary.id ? -1 : 1))
        .slice(0, filter.limit)
        .map((e) => structuredClone(e.summary));
    },

    async counts() {
      const counts: Record<SagaState, number> = { running: 0, compensating: 0, completed: 0, compensated: 0, stuck: 0 };
      for (const entry of sagas.values()) counts[entry.summary.state] += 1;
      return counts;
    },
  };
}

/** A step's result onto its row (which `started` made): its outcome, output or error. */
function applyResult(id: string, steps: Mutable<StepRecord>[], result: StepResult, at: number): void {
  const step = steps.find((s) => s.step === result.step && s.phase === result.phase);
  if (!step) throw new Error(`saga ${id}: ${result.phase} step ${result.step} was never started`);
  if (result.outcome === 'retrying') {
    if (result.error) step.error = result.error;
    if (result.notSent) step.attempts -= 1;
    return;
  }
  step.outcome = result.outcome;
  step.finishedAt = at;
  if (result.outcome === 'succeeded') {
    step.output = structuredClone(result.output ?? null);
    delete step.error;
  } else if (result.error) step.error = result.error;
}
