// What an orchestrator is made of, and the defaults of its timing.
import type { Logger } from '../logging/index.js';
import type { SagaLog } from './log/types.js';
import type { SagaDefinition } from './types.js';

/**
 * Options of `createSagaOrchestrator`.
 *
 * @example
 * const options: SagaOrchestratorOptions = { service: 'orders', sagas: [placeOrder], log, logger, publish: (event, payload) => outbox.publish(event, payload) };
 */
export interface SagaOrchestratorOptions {
  /** The service that runs the sagas (for logs). */
  readonly service: string;
  readonly sagas: readonly SagaDefinition[];
  readonly log: SagaLog;
  readonly logger: Logger;
  /**
   * Publishes `<saga>.completed` / `<saga>.failed`. Called inside the log's transaction of the final
   * transition: with a database log and the service's outbox, the event commits with it.
   */
  readonly publish?: (event: string, payload: unknown) => Promise<unknown>;
  /** Names this replica in the leases. Default: host, pid and a random suffix (unique per orchestrator). */
  readonly owner?: string;
  /** How long a lease lasts without renewal, ms. Default 15000. */
  readonly leaseMs?: number;
  /** One attempt's timeout when the step names none, ms. Default 10000. */
  readonly stepTimeoutMs?: number;
  /** Calls of a step whose outcome stays unknown before it is given up (and compensated). Default 3. */
  readonly stepAttempts?: number;
  /** Calls of a compensation before the saga is `stuck`. Default 8. */
  readonly compensationAttempts?: number;
  /** Waits between attempts: exponential from `initialMs`, capped at `maxMs`, full jitter. Default { initialMs: 100, maxMs: 5000 }. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How often sagas whose lease expired are looked for, ms. Default 5000. */
  readonly resumeIntervalMs?: number;
  /** Sagas resumed per look, at most. Default 100. */
  readonly resumeBatch?: number;
  /** The clock, epoch ms (deadlines). Default `Date.now`. */
  readonly now?: () => number;
  /** Waits between attempts (tests make them instant). Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The default waits between attempts: exponential from 100 ms, capped at 5 s. */
export const DEFAULT_SAGA_BACKOFF = Object.freeze({ initialMs: 100, maxMs: 5_000 });

/** Calls of a compensation before its saga is `stuck`, by default (an orchestrated saga's, and a choreographed step's). */
export const DEFAULT_COMPENSATION_ATTEMPTS = 8;

/**
 * The options with every default applied.
 *
 * @example
 * const { leaseMs, owner } = resolveOptions(options, 'host:1:ab12');
 */
export type ResolvedOptions = Required<Omit<SagaOrchestratorOptions, 'publish'>> & Pick<SagaOrchestratorOptions, 'publish'>;

/**
 * Applies the defaults and checks the numbers (a programming error throws a TypeError at start-up).
 *
 * @param options - as given
 * @param defaultOwner - the owner when none is given
 * @example
 * const resolved = resolveOptions({ service: 'orders', sagas, log, logger }, 'host:1:ab12');
 */
export function resolveOptions(options: SagaOrchestratorOptions, defaultOwner: string): ResolvedOptions {
  const resolved: ResolvedOptions = {
    owner: defaultOwner,
    leaseMs: 15_000,
    stepTimeoutMs: 10_000,
    stepAttempts: 3,
    compensationAttempts: DEFAULT_COMPENSATION_ATTEMPTS,
    backoff: DEFAULT_SAGA_BACKOFF,
    resumeIntervalMs: 5_000,
    resumeBatch: 100,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
    ...definedOnly(options),
  } as ResolvedOptions;
  for (const name of ['leaseMs', 'stepTimeoutMs', 'stepAttempts', 'compensationAttempts', 'resumeIntervalMs', 'resumeBatch'] as const) {
    const value = resolved[name];
    if (!Number.isFinite(value) || value < 1) throw new TypeError(`saga orchestrator: ${name} must be a number >= 1 (got ${String(value)})`);
  }
  if (!(resolved.backoff.initialMs >= 0 && resolved.backoff.maxMs >= resolved.backoff.initialMs)) {
    throw new TypeError('saga orchestrator: backoff needs 0 <= initialMs <= maxMs');
  }
  const names = new Set<string>();
  for (const saga of resolved.sagas) {
    if (names.has(saga.name)) throw new TypeError(`saga orchestrator: saga '${saga.name}' is defined twice`);
    names.add(saga.name);
    const steps = new Set<string>();
    for (const step of saga.steps) {
      if (steps.has(step.name)) throw new TypeError(`saga orchestrator: saga '${saga.name}' has two steps named '${step.name}'`);
      steps.add(step.name);
    }
  }
  return resolved;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
