// The resilience pipeline of one dependency: every call to it goes through, in this order,
//
//   deadline -> bulkhead -> retry loop -> per attempt: circuit breaker (of the instance picked) -> attempt timeout -> attempt
//
// 1. Deadline: the sooner of the caller's deadline and now + timeoutMs. Passed already: not started
//    (DeadlineExceeded). Otherwise one signal, aborted at the deadline or with the caller's signal,
//    bounds everything below: the bulkhead queue, the backoff waits and every attempt.
// 2. Bulkhead: a slot for the whole call, retries included, so a retrying call does not take a second
//    slot; full with a full queue: BulkheadFull at once.
// 3. Circuit breaker, then retry. The breaker is kept per instance (see breaker.ts), and each attempt may
//    go to another instance, so the breaker is consulted inside the retry loop, once per attempt, on
//    the instance that attempt goes to: `pick` chooses among the instances whose breakers admit a
//    call, and each attempt's outcome is recorded on its own instance's breaker (a breaker outside
//    the loop would count one failure for three failed attempts, and one bad replica would open it for
//    all). The order still holds per attempt: the breaker decides before any retry logic, an open
//    breaker fails fast (CircuitOpen, never retried and never waited for), and a retry never goes
//    through an open breaker. Without `pick`, a dependency with one address has one breaker (key `''`).
// 4. Retry (retry.ts): only retryable failures, only idempotent calls or calls with an idempotency
//    key, within the attempts, the deadline and the client's retry budget.
// 5. Each attempt runs under its own timeout (attemptTimeoutMs, cut to the call's deadline); an
//    attempt that runs out of it fails with AttemptTimedOut (retryable), an attempt cut by the whole
//    call's deadline with DeadlineExceeded (not retryable).
//
// A fallback, when the call has one, answers last, outside all of it (after the retries, the breaker
// and the bulkhead), for the failures the policy's `fallback.on` names or, without one, for
// DEFAULT_FALLBACK_ON (the dependency's own unavailability, never a 4xx or a 500).
import { REFUSED, CircuitBreakerSet } from './breaker.js';
import { RetryBudget } from './budget.js';
import { Bulkhead } from './bulkhead.js';
import { kindOf } from './classify.js';
import { systemClock, type Clock } from './clock.js';
import { effectiveDeadline, startDeadline, type DeadlineScope } from './deadline.js';
import { AttemptTimedOut, BulkheadFull, CircuitOpen, DeadlineExceeded } from './errors.js';
import type { ResilienceEvent, ResilienceObserver } from './events.js';
import { DEFAULT_FALLBACK_ON, withFallback, type FallbackFunction } from './fallback.js';
import { policyProblems, type FallbackPolicy, type ResiliencePolicy } from './policy.js';
import { retryLoop } from './retry.js';
import { ResilienceStats, type DependencyCounters } from './stats.js';

/**
 * An attempt's abort, without an AbortSignal: what a transport that can follow a listener (undici
 * takes any `once`/`removeListener` emitter) uses instead of the signal, which costs microseconds to
 * make and to listen to on Node 20.
 */
export interface AttemptScope {
  readonly aborted: boolean;
  /** The abort reason once aborted: AttemptTimedOut, DeadlineExceeded, or the caller's reason. */
  readonly reason: unknown;
  /** Calls `listener` with the reason when the attempt is aborted; returns the unsubscribe. */
  onAbort(listener: (reason: unknown) => void): () => void;
}

/** What an attempt knows besides its signal and number. */
export interface AttemptContext {
  /** This attempt's deadline, epoch ms (the sooner of its own timeout and the call's): what to propagate. */
  readonly deadline: number;
  /** The instance `pick` chose for this attempt; undefined without a picker. */
  readonly instance: string | undefined;
  /** The attempt's abort as a listener registry; aborts exactly when its signal would. */
  readonly scope: AttemptScope;
}

/**
 * One attempt of the call: send the request with `signal` (aborted at the attempt's deadline) and
 * resolve with the answer or reject with what the transport rejects with.
 */
export type Attempt<T> = (signal: AbortSignal, attempt: number, context: AttemptContext) => Promise<T>;

/**
 * Chooses the instance of an attempt among those whose breaker admits a call (the balancer's job);
 * undefined when none is available. `tried` lists the instances of the earlier attempts of this call,
 * so a retry can prefer another one.
 */
export type InstancePicker = (isAvailable: (instance: string) => boolean, attempt: number, tried: readonly string[]) => string | undefined;

/** One call's own settings. */
export interface RunOptions<T> {
  /** What is called, for messages, e.g. `users.getUser`. Default: the dependency's name. */
  label?: string;
  /** The callee's endpoint, e.g. `getUser`, named in the `fallback` event. Default none. */
  endpoint?: string;
  /** The caller's deadline, epoch ms (propagated from upstream). Default none. */
  deadline?: number | null;
  /** The caller's signal (its own caller left). Default none. */
  signal?: AbortSignal;
  /** The endpoint is idempotent (GET, PUT, DELETE by default, or declared). */
  idempotent: boolean;
  /** The call's idempotency key: a non-idempotent call with one may be retried. Default none. */
  idempotencyKey?: string;
  /** Picks each attempt's instance (the balancer). Default none: the dependency is one instance. */
  pick?: InstancePicker;
  /**
   * Answers instead of the dependency for the failures the policy's `fallback.on` names (without
   * one: DEFAULT_FALLBACK_ON). Default none.
   */
  fallback?: FallbackFunction<T>;
  /**
   * The attempt follows `context.scope` rather than its signal argument, which is then a signal that
   * never aborts: no AbortSignal is made per attempt. Default false.
   */
  scopeOnly?: boolean;
  /**
   * Wraps each attempt (the client span of tracing: one per attempt, retries included, and the
   * context the transport sends). Default none.
   */
  wrapAttempt?: AttemptWrapper;
}

/** Runs attempt `n` inside whatever the caller keeps per attempt (runtime/observability/tracing's AttemptTracing). */
export interface AttemptWrapper {
  attempt<T>(n: number, run: () => Promise<T>): Promise<T>;
}

// Handed to attempts that follow their scope instead (RunOptions.scopeOnly).
const NEVER_ABORTED = new AbortController().signal;

/** What a pipeline is built with besides its policy. */
export interface PipelineOptions {
  /** The service called, in events, counters and messages. */
  dependency: string;
  /** Default the system clock. */
  clock?: Clock;
  /** Uniform source in [0, 1) for the backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** Told of every event (logs). Default none. */
  observer?: ResilienceObserver;
  /** Where counters and gauges are kept. Default: a stats object of the pipeline's own. */
  stats?: ResilienceStats;
  /** Breakers to share with other pipelines of the same dependency (an endpoint's own policy). Default: the pipeline's own. */
  breakers?: CircuitBreakerSet;
  /** A retry budget to share with other pipelines of the same client. Default: the pipeline's own. */
  budget?: RetryBudget;
}

/** The pipeline of one dependency. */
export interface ResiliencePipeline {
  readonly dependency: string;
  readonly policy: ResiliencePolicy;
  /** The per-instance breakers; undefined when the policy has none. */
  readonly breakers: CircuitBreakerSet | undefined;
  readonly stats: ResilienceStats;
  /** Whether `instance`'s breaker admits a call (always true without a breaker): what the balancer filters with. */
  isAvailable(instance: string): boolean;
  /** Runs one call through the policies. */
  run<T>(attempt: Attempt<T>, options: RunOptions<T>): Promise<T>;
}

class Pipeline implements ResiliencePipeline {
  readonly dependency: string;
  readonly policy: ResiliencePolicy;
  readonly breakers: CircuitBreakerSet | undefined;
  readonly stats: ResilienceStats;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #observer: ResilienceObserver | undefined;
  readonly #counters: DependencyCounters;
  readonly #bulkhead: Bulkhead | undefined;
  readonly #budget: RetryBudget | undefined;
  readonly #emit: ResilienceObserver;
  readonly #fallbackPolicy: FallbackPolicy;
  readonly isAvailable: (instance: string) => boolean;

  constructor(policy: ResiliencePolicy, options: PipelineOptions) {
    const problems = policyProblems(policy);
    if (problems.length > 0) throw new RangeError(`invalid resilience policy for ${options.dependency}: ${problems.join('; ')}`);
    this.dependency = options.dependency;
    this.policy = policy;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#observer = options.observer;
    this.#fallbackPolicy = policy.fallback ?? { on: DEFAULT_FALLBACK_ON };
    this.stats = options.stats ?? new ResilienceStats();
    this.#counters = this.stats.counters(this.dependency);
    this.#emit = (event: ResilienceEvent) => {
      this.stats.record(event);
      this.#observer?.(event);
    };
    const { dependency } = this;
    this.breakers =
      options.breakers ??
      (policy.circuitBreaker
        ? new CircuitBreakerSet(policy.circuitBreaker, this.#clock, (instance, from, to) =>
            this.#emit({ type: 'breaker', dependency, instance, from, to }),
          )
        : undefined);
    this.#bulkhead = policy.bulkhead ? new Bulkhead(policy.bulkhead, dependency) : undefined;
    this.#budget = policy.retry ? (options.budget ?? new RetryBudget(policy.retry.budget, this.#clock)) : undefined;
    const breakers = this.breakers;
    this.isAvailable = breakers ? (instance) => breakers.isAvailable(instance) : () => true;
    const bulkhead = this.#bulkhead;
    this.stats.gauges(dependency, () => {
      let open = 0;
      let halfOpen = 0;
      for (const state of Object.values(breakers?.states() ?? {})) {
        if (state === 'open') open++;
        else if (state === 'half-open') halfOpen++;
      }
      return { bulkheadActive: bulkhead?.active ?? 0, bulkheadQueued: bulkhead?.queued ?? 0, breakersOpen: open, breakersHalfOpen: halfOpen };
    });
  }

  run<T>(attempt: Attempt<T>, options: RunOptions<T>): Promise<T> {
    const { fallback } = options;
    if (fallback === undefined) return this.#guarded(attempt, options);
    const { dependency } = this;
    const endpoint = options.endpoint;
    return withFallback(() => this.#guarded(attempt, options), this.#fallbackPolicy, fallback, (reason) =>
      this.#emit({ type: 'fallback', dependency, endpoint, reason }),
    );
  }

  async #guarded<T>(attempt: Attempt<T>, options: RunOptions<T>): Promise<T> {
    const counters = this.#counters;
    const clock = this.#clock;
    const dependency = this.dependency;
    const label = options.label ?? dependency;
    counters.calls++;
    const now = clock.now();
    const deadline = effectiveDeadline(now, this.policy.timeoutMs, options.deadline);
    if (deadline <= now) {
      counters.failed++;
      this.#emit({ type: 'rejected', dependency, reason: 'deadline-passed' });
      throw new DeadlineExceeded(`${label}: deadline passed before the call started`, true);
    }
    const scope = startDeadline(deadline, { clock, parent: options.signal, reason: () => new DeadlineExceeded(`${label}: deadline exceeded`) });
    const bulkhead = this.#bulkhead;
    let holdsSlot = false;
    try {
      if (bulkhead) {
        if (!bulkhead.tryEnter()) {
          try {
            await bulkhead.enter(scope.signal);
          } catch (error) {
            if (error instanceof BulkheadFull) this.#emit({ type: 'rejected', dependency, reason: 'bulkhead-full' });
            throw error;
          }
        }
        holdsSlot = true;
      }
      this.#budget?.recordCall();
      const tried: string[] = [];
      const scopeOnly = options.scopeOnly === true;
      const result = await retryLoop((n) => this.#attemptOnce(attempt, n, scope, label, options.pick, tried, scopeOnly, options.wrapAttempt), {
        policy: this.policy.retry,
        budget: this.#budget,
        mayRetry: options.idempotent || (options.idempotencyKey !== undefined && options.idempotencyKey !== ''),
        deadline,
        signal: scope,
        clock,
        random: this.#random,
        dependency,
        observer: this.#emit,
        instance: () => tried[tried.length - 1],
      });
      counters.succeeded++;
      return result;
    } catch (error) {
      counters.failed++;
      throw error;
    } finally {
      if (holdsSlot) bulkhead!.release();
      scope.dispose();
    }
  }

  async #attemptOnce<T>(
    attempt: Attempt<T>,
    n: number,
    call: DeadlineScope,
    label: string,
    pick: InstancePicker | undefined,
    tried: string[],
    scopeOnly: boolean,
    wrap: AttemptWrapper | undefined,
  ): Promise<T> {
    // A caller that already gave up (or a deadline that passed while queued) starts nothing.
    if (call.aborted) throw call.reason;
    const dependency = this.dependency;
    let instance: string | undefined;
    if (pick) {
      instance = pick(this.isAvailable, n, tried);
      if (instance === undefined) {
        this.#emit({ type: 'rejected', dependency, reason: 'circuit-open' });
        throw new CircuitOpen(dependency);
      }
      tried.push(instance);
    }
    const breaker = this.breakers?.for(instance ?? '');
    const ticket = breaker ? breaker.tryAcquire() : REFUSED;
    if (breaker && ticket === REFUSED) {
      this.#emit({ type: 'rejected', dependency, reason: 'circuit-open' });
      throw new CircuitOpen(dependency, instance);
    }
    this.#counters.attempts++;
    const clock = this.#clock;
    const attemptTimeoutMs = this.policy.attemptTimeoutMs;
    const own = attemptTimeoutMs === undefined ? Infinity : clock.now() + attemptTimeoutMs;
    // An attempt timer only when it would fire before the call's deadline.
    const scope =
      own < call.deadline
        ? startDeadline(own, { clock, parent: call, reason: () => new AttemptTimedOut(`${label}: attempt ${n} did not answer within ${attemptTimeoutMs} ms`) })
        : undefined;
    const guard = scope ?? call;
    try {
      // Raced with the scope, so that an attempt deaf to its signal still ends at its deadline.
      const signal = scopeOnly ? NEVER_ABORTED : guard.signal;
      const context: AttemptContext = { deadline: Math.min(own, call.deadline), instance, scope: guard };
      const sent = wrap ? wrap.attempt(n, () => attempt(signal, n, context)) : attempt(signal, n, context);
      const result = await guard.race(sent);
      breaker?.record(ticket, 'success');
      return result;
    } catch (error) {
      // The whole call's deadline or its caller: not the instance's fault, and not retried.
      if (call.aborted) {
        breaker?.record(ticket, 'ignored');
        throw call.reason;
      }
      // Whatever the transport made of its aborted request, the attempt ran out of its own time.
      const failure = scope?.expired ? scope.reason : error;
      breaker?.record(ticket, breaker.outcomeOf(kindOf(failure)));
      throw failure;
    } finally {
      scope?.dispose();
    }
  }
}

/**
 * The pipeline of one dependency (one client): its bulkhead, retry budget and per-instance breakers
 * live as long as it does, so build it once per client, not per call.
 *
 * @param policy The resolved policy (see {@link DEFAULT_POLICY} for what applies when a spec says nothing).
 * @param options dependency; clock (default system), random (default Math.random), observer, stats, shared breakers or budget (default the pipeline's own).
 * @throws RangeError listing the policy's problems when it is not usable.
 * @example
 * const pipeline = createPipeline(DEFAULT_POLICY, { dependency: 'users', observer: (e) => log.info(e, e.type) });
 * const user = await pipeline.run((signal, n, { deadline }) => transport.call(getUser, { id }, { signal, deadline }), { idempotent: true, label: 'users.getUser' });
 */
export function createPipeline(policy: ResiliencePolicy, options: PipelineOptions): ResiliencePipeline {
  return new Pipeline(policy, options);
}
