// The orchestrator: starts sagas (written to the log before `start` resolves), drives them, keeps
// their leases alive while it works, and resumes the sagas whose lease expired (a crashed or
// stopped replica's). One replica drives a saga at a time: every log write is fenced by the lease.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Conflict, NotFound } from '../errors/index.js';
import { DriveStopped, type DriveContext } from './drive-context.js';
import { driveSaga } from './drive.js';
import { traceSagaDrive } from '../observability/tracing/saga.js';
import { context, trace, type SpanContext } from '@opentelemetry/api';
import { isSagaId } from './ids.js';
import { LeaseLost, type LoadedSaga, type SagaFilter, type SagaSummary } from './log/types.js';
import { resolveOptions, type SagaOrchestratorOptions } from './options.js';
import { emptyStats, type SagaStats } from './stats.js';
import type { SagaDefinition, SagaRecord, SagaState } from './types.js';

const FINAL: ReadonlySet<SagaState> = new Set(['completed', 'compensated', 'stuck']);
const WAIT_POLL_MS = 20;

/**
 * A running orchestrator.
 *
 * @example
 * const id = await orchestrator.start('placeOrder', { userId: 'u-1', items });
 * const record = await orchestrator.wait(id, 5000);
 */
export interface SagaOrchestrator {
  /**
   * Writes a new saga to the log (in the caller's transaction when one runs: driving starts once it
   * commits) and resolves with its id; driving starts right after. Starting again with an `id` that
   * exists resolves with that id and starts nothing (a repeated request).
   */
  start(saga: string, input: unknown, options?: { readonly id?: string }): Promise<string>;
  /** Resolves with the saga's record once it is final, or as it is after `timeoutMs`. Rejects NotFound for an unknown id. */
  wait(id: string, timeoutMs: number): Promise<SagaRecord>;
  get(id: string): Promise<SagaRecord | undefined>;
  list(filter: SagaFilter): Promise<SagaSummary[]>;
  counts(): Promise<Record<SagaState, number>>;
  /** Looks for sagas whose lease expired now, and drives them; resolves with how many it took. */
  resumeNow(): Promise<number>;
  /** This orchestrator's counters. */
  stats(): SagaStats;
  /** Sagas this orchestrator is driving now. */
  inFlight(): number;
  /** Stops claiming, lets the sagas in flight reach their next write, then releases their leases. */
  close(): Promise<void>;
}

/**
 * Creates an orchestrator and starts its resume loop (a first look at once).
 *
 * @param options - see SagaOrchestratorOptions: `service`, `sagas`, `log`, `logger`, `publish?`,
 *   `owner?` (host:pid:random), `leaseMs` (15000), `stepTimeoutMs` (10000), `stepAttempts` (3),
 *   `compensationAttempts` (8), `backoff` ({ initialMs: 100, maxMs: 5000 }), `resumeIntervalMs`
 *   (5000), `resumeBatch` (100), `now?`, `sleep?`
 * @example
 * const orchestrator = createSagaOrchestrator({ service: 'orders', sagas: [placeOrder], log: await createDatabaseSagaLog({ db }), logger, publish: (e, p) => outbox.publish(e, p) });
 * const id = await orchestrator.start('placeOrder', input);
 */
export function createSagaOrchestrator(options: SagaOrchestratorOptions): SagaOrchestrator {
  const resolved = resolveOptions(options, `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`);
  const { log, logger, owner, leaseMs } = resolved;
  const definitions = new Map<string, SagaDefinition>(resolved.sagas.map((s) => [s.name, s]));
  const stats = emptyStats();
  // `final`: the saga's record as its driver's last write left it, for `wait` (no read of the log).
  const driving = new Map<string, { promise: Promise<void>; lost: boolean; final?: SagaRecord | undefined }>();
  let closing = false;
  // Backoff waits in progress, woken by close (a set, not a race against one promise: that would
  // keep a reaction per wait for the orchestrator's whole life).
  const sleepers = new Set<() => void>();
  // Drivers run in the async context the orchestrator was made in, never in a caller's (its
  // transaction, which has ended by then, or its request).
  const detached = AsyncLocalStorage.snapshot();

  const ctx: DriveContext = {
    options: resolved,
    stats,
    checkpoint(sagaId) {
      if (closing) throw new DriveStopped(sagaId, 'the orchestrator is closing');
      if (driving.get(sagaId)?.lost) throw new LeaseLost(sagaId);
    },
    pause: (ms) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          sleepers.delete(wake);
          resolve();
        };
        sleepers.add(wake);
        resolved.sleep(ms).then(wake, wake);
      }),
  };

  // `fresh`: a saga this orchestrator just created, whose log state it knows (no claim needed), its
  // first step's first attempt already `started` in the log (start).
  // `parent`: the span of the request that started the saga (its drive's spans join that trace,
  // though the drive runs detached from the request's async context).
  function launch(id: string, resumed: boolean, fresh?: LoadedSaga, parent?: SpanContext): void {
    if (closing || driving.has(id)) return;
    // Registered before the driver runs: it may end before its first await.
    const entry: { promise: Promise<void>; lost: boolean; final?: SagaRecord | undefined } = { promise: Promise.resolve(), lost: false };
    driving.set(id, entry);
    entry.promise = (async () => {
      let release = false;
      try {
        const loaded = fresh ?? (await log.claim(id, owner, leaseMs));
        if (!loaded) return;
        const definition = definitions.get(loaded.record.saga);
        if (!definition) {
          // Another replica (a newer deployment) may know it: let the lease expire for it.
          logger.error({ sagaId: id, saga: loaded.record.saga }, 'saga not defined in this orchestrator: left for a replica that defines it');
          return;
        }
        if (resumed) {
          stats.resumed += 1;
          logger.info({ sagaId: id, saga: definition.name, state: loaded.record.state }, 'saga resumed');
        }
        entry.final = await traceSagaDrive({ service: ctx.options.service, saga: definition.name, sagaId: id }, { resumed, parent }, () => driveSaga(ctx, definition, loaded, fresh !== undefined));
      } catch (err) {
        if (err instanceof LeaseLost) {
          stats.leasesLost += 1;
          logger.warn({ sagaId: id }, 'saga lease lost: another replica drives it');
        } else if (err instanceof DriveStopped) {
          release = closing;
          if (!closing) logger.error({ sagaId: id, err }, 'saga cannot be driven');
        } else {
          // The lease expires and a replica (maybe this one) resumes it from the log.
          logger.error({ sagaId: id, err }, 'saga driving failed: resumed once its lease expires');
        }
      } finally {
        driving.delete(id);
        if (release) await log.release(id, owner).catch((err: unknown) => logger.warn({ sagaId: id, err }, 'saga lease release failed: it expires'));
      }
    })();
  }

  // Leases are renewed while sagas are driven; a saga whose lease was lost stops at its next checkpoint.
  const renewal = setInterval(() => {
    const ids = [...driving.keys()];
    if (ids.length === 0) return;
    log.renew(ids, owner, leaseMs).then(
      (held) => {
        const kept = new Set(held);
        for (const id of ids) {
          const entry = driving.get(id);
          if (entry && !kept.has(id)) entry.lost = true;
        }
      },
      (err: unknown) => logger.warn({ err }, 'saga lease renewal failed: retried'),
    );
  }, Math.max(1, Math.floor(leaseMs / 3)));
  renewal.unref();

  let resuming: Promise<number> | undefined;
  async function resumeNow(): Promise<number> {
    if (closing) return 0;
    // One look at a time: overlapping looks would only claim each other's sagas.
    resuming ??= (async () => {
      try {
        const room = resolved.resumeBatch;
        const ids = await log.claimDue(owner, leaseMs, room);
        for (const id of ids) launch(id, true);
        return ids.length;
      } finally {
        resuming = undefined;
      }
    })();
    return resuming;
  }

  let resumeTimer: NodeJS.Timeout | undefined;
  const scheduleResume = (delay: number) => {
    resumeTimer = setTimeout(() => {
      resumeNow()
        .catch((err: unknown) => logger.warn({ err }, 'saga resume look failed: retried'))
        .finally(() => {
          if (!closing) scheduleResume(resolved.resumeIntervalMs);
        });
    }, delay);
    resumeTimer.unref();
  };
  scheduleResume(0);

  return {
    async start(saga, input, startOptions = {}) {
      if (closing) throw new Error('saga orchestrator is closed: no saga can be started');
      if (!definitions.has(saga)) throw new TypeError(`unknown saga '${saga}' (known: ${[...definitions.keys()].join(', ') || 'none'})`);
      const id = startOptions.id ?? randomUUID();
      if (!isSagaId(id)) throw new TypeError(`saga id '${id.slice(0, 40)}' is not valid: letters, digits and . _ : - only, at most 128 characters`);
      // As the log will give it back to a replica that resumes it: JSON.
      const stored: unknown = JSON.parse(JSON.stringify(input ?? null));
      // The saga is written with its first step's first attempt `started` (one write, not two): its
      // call comes after that write committed. The driver knows it (driveSaga's firstAttemptLogged).
      const firstStep = definitions.get(saga)!.steps[0]?.name;
      const fresh: LoadedSaga = { record: { id, saga, state: 'running', input: stored, createdAt: 0, updatedAt: 0, steps: [] }, failedStepMayHaveApplied: false };
      const parent = trace.getSpanContext(context.active());
      const created = await log.create({ id, saga, input: stored, ...(firstStep !== undefined ? { firstStep } : {}) }, owner, leaseMs, () => detached(() => launch(id, false, fresh, parent)));
      if (created) {
        stats.started += 1;
        return id;
      }
      const existing = await log.get(id);
      if (existing && existing.saga !== saga) throw new Conflict(`saga id ${id} is already used by another saga`);
      return id;
    },

    async wait(id, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Driven here: its driver ends when the saga is final (or must stop), not polled meanwhile;
        // its final write answered the saga's record as it committed it, so the log is not read again.
        const local = driving.get(id);
        if (local) {
          await settledOrAfter(local.promise, deadline - Date.now());
          if (local.final) return local.final;
        }
        const record = await log.get(id);
        if (!record) throw new NotFound(`no saga with id ${id}`);
        const left = deadline - Date.now();
        if (FINAL.has(record.state) || left <= 0) return record;
        // Another replica drives it (or this one starts to): polled.
        if (!driving.has(id)) await settledOrAfter(undefined, Math.min(WAIT_POLL_MS, left));
      }
    },

    get: (id) => log.get(id),
    list: (filter) => log.list(filter),
    counts: () => log.counts(),
    resumeNow,
    stats: () => ({ ...stats }),
    inFlight: () => driving.size,

    async close() {
      if (closing) return;
      closing = true;
      for (const wake of [...sleepers]) wake();
      clearTimeout(resumeTimer);
      await resuming?.catch(() => undefined);
      while (driving.size > 0) await Promise.all([...driving.values()].map((entry) => entry.promise));
      clearInterval(renewal);
    },
  };
}

/** Resolves when `work` settles (never rejects) or after `ms`, whichever comes first; its timer does not outlive it. */
function settledOrAfter(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([elapsed, ...(work ? [work.then(() => undefined, () => undefined)] : [])]).finally(() => clearTimeout(timer));
}
