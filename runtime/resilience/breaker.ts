// A circuit breaker per instance of a dependency: closed (calls go through, counted failures
// watched), open (calls refused at once for `openForMs`), half-open (up to `halfOpenCalls` probes;
// that many successes close it, one failure opens it again). Kept per instance so one bad replica is
// taken out of load balancing while the others keep serving; the balancer asks `isAvailable(address)`.
//
// Each admitted call holds a ticket, the breaker's generation when it was admitted; an outcome that
// arrives after the breaker moved on (a slow call admitted while closed finishing once it is
// half-open) is ignored, so probes are judged only by probes.
import { BREAKER_COUNTABLE, type FailureKind } from './classify.js';
import type { Clock } from './clock.js';
import type { CircuitBreakerPolicy } from './policy.js';
import { RollingWindow } from './window.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Told of every state change. */
export type BreakerTransitionListener = (instance: string, from: BreakerState, to: BreakerState) => void;

/**
 * What a breaker counts when its policy does not say: the retryable kinds, never a 4xx.
 *
 * @example
 * DEFAULT_COUNTED_FAILURES; // ['unavailable', 'timeout', 'badGateway', 'rateLimited']
 */
export const DEFAULT_COUNTED_FAILURES: readonly FailureKind[] = BREAKER_COUNTABLE;

/**
 * A ticket {@link CircuitBreaker.tryAcquire} returns when it refuses.
 *
 * @example
 * if (breaker.tryAcquire() === REFUSED) throw new CircuitOpen('users', breaker.instance);
 */
export const REFUSED = -1;

/** One instance's breaker. */
export class CircuitBreaker {
  readonly instance: string;
  readonly #policy: CircuitBreakerPolicy;
  readonly #clock: Clock;
  readonly #onTransition: BreakerTransitionListener | undefined;
  readonly #window: RollingWindow;
  #state: BreakerState = 'closed';
  #generation = 0;
  #consecutive = 0;
  #openUntil = 0;
  #probesAdmitted = 0;
  #probesSucceeded = 0;

  /**
   * @param policy The trip rules, openForMs and halfOpenCalls.
   * @param clock Time source.
   * @param instance The instance's address, for transitions. Default `''` (the dependency as a whole).
   * @param onTransition Told of state changes. Default none.
   * @example
   * const breaker = new CircuitBreaker({ consecutiveFailures: 5, minimumCalls: 10, windowMs: 10_000, openForMs: 5_000, halfOpenCalls: 1 }, systemClock);
   */
  constructor(policy: CircuitBreakerPolicy, clock: Clock, instance = '', onTransition?: BreakerTransitionListener) {
    this.#policy = policy;
    this.#clock = clock;
    this.instance = instance;
    this.#onTransition = onTransition;
    this.#window = new RollingWindow(policy.windowMs, clock);
  }

  /**
   * The state now (an open breaker whose time is up reads as half-open).
   *
   * @example
   * if (breaker.state === 'open') log.warn('users-1 is out');
   */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#clock.now() >= this.#openUntil) this.#moveTo('half-open');
    return this.#state;
  }

  /**
   * Whether a call would be admitted now; takes nothing (the balancer filters with it).
   *
   * @example
   * const healthy = addresses.filter((a) => breakers.isAvailable(a));
   */
  isAvailable(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && this.#probesAdmitted < this.#policy.halfOpenCalls);
  }

  /**
   * Admits a call: a ticket for {@link CircuitBreaker.record}, or {@link REFUSED}.
   *
   * @example
   * const ticket = breaker.tryAcquire();
   * if (ticket === REFUSED) throw new CircuitOpen('users', breaker.instance);
   */
  tryAcquire(): number {
    const state = this.state;
    if (state === 'closed') return this.#generation;
    if (state === 'half-open' && this.#probesAdmitted < this.#policy.halfOpenCalls) {
      this.#probesAdmitted++;
      return this.#generation;
    }
    return REFUSED;
  }

  /**
   * What a failed call's kind means for this breaker: a `failure` when the policy counts it
   * (`countedFailures`, by default the retryable kinds), `ignored` when it says nothing about the
   * instance (the call's own deadline, the caller's cancellation, a bug on this side), and otherwise a
   * `success`: the instance answered, if only with a 4xx.
   *
   * @param kind The failure's kind (classify.ts).
   * @example
   * breaker.outcomeOf('rejected'); // 'success'
   */
  outcomeOf(kind: FailureKind): 'success' | 'failure' | 'ignored' {
    if ((this.#policy.countedFailures ?? DEFAULT_COUNTED_FAILURES).includes(kind)) return 'failure';
    return kind === 'deadline' || kind === 'unknown' || kind === 'circuitOpen' || kind === 'bulkheadFull' ? 'ignored' : 'success';
  }

  /**
   * The outcome of an admitted call: `success`, `failure` (a counted failure, see classify.ts) or
   * `ignored` (neither: the caller gave up, or its deadline passed; a probe's slot is handed back).
   *
   * @param ticket What {@link CircuitBreaker.tryAcquire} returned.
   * @param outcome How the call went.
   * @example
   * breaker.record(ticket, classify(err).breakerFailure ? 'failure' : 'success');
   */
  record(ticket: number, outcome: 'success' | 'failure' | 'ignored'): void {
    if (ticket !== this.#generation || ticket === REFUSED) return;
    if (this.#state === 'half-open') {
      if (outcome === 'failure') this.#open();
      else if (outcome === 'ignored') this.#probesAdmitted--;
      else if (++this.#probesSucceeded >= this.#policy.halfOpenCalls) this.#moveTo('closed');
      return;
    }
    if (this.#state !== 'closed' || outcome === 'ignored') return;
    if (outcome === 'success') {
      this.#consecutive = 0;
      this.#window.add(1, 0);
      return;
    }
    this.#consecutive++;
    this.#window.add(1, 1);
    if (this.#shouldTrip()) this.#open();
  }

  #shouldTrip(): boolean {
    const { consecutiveFailures, failureRatio, minimumCalls } = this.#policy;
    if (consecutiveFailures !== undefined && this.#consecutive >= consecutiveFailures) return true;
    if (failureRatio === undefined) return false;
    const [calls, failures] = this.#window.totals();
    return calls >= minimumCalls && failures >= failureRatio * calls;
  }

  #open(): void {
    this.#openUntil = this.#clock.now() + this.#policy.openForMs;
    this.#moveTo('open');
  }

  #moveTo(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#consecutive = 0;
    this.#probesAdmitted = 0;
    this.#probesSucceeded = 0;
    if (to === 'closed') this.#window.reset();
    this.#onTransition?.(this.instance, from, to);
  }
}

/** The breakers of one dependency's instances, made on first use. */
export class CircuitBreakerSet {
  readonly #policy: CircuitBreakerPolicy;
  readonly #clock: Clock;
  readonly #onTransition: BreakerTransitionListener | undefined;
  readonly #breakers = new Map<string, CircuitBreaker>();

  /**
   * @param policy Every instance's breaker policy.
   * @param clock Time source.
   * @param onTransition Told of every instance's state changes. Default none.
   * @example
   * const breakers = new CircuitBreakerSet(policy.circuitBreaker, systemClock, (instance, from, to) => log.info({ instance, from, to }, 'breaker'));
   */
  constructor(policy: CircuitBreakerPolicy, clock: Clock, onTransition?: BreakerTransitionListener) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onTransition = onTransition;
  }

  /**
   * The breaker of `instance`, made closed on first use.
   *
   * @param instance The instance's address; `''` for a dependency with a single address.
   * @example
   * breakers.for('http://10.0.0.7:3001').tryAcquire();
   */
  for(instance: string): CircuitBreaker {
    let breaker = this.#breakers.get(instance);
    if (!breaker) this.#breakers.set(instance, (breaker = new CircuitBreaker(this.#policy, this.#clock, instance, this.#onTransition)));
    return breaker;
  }

  /**
   * Whether `instance` would take a call now; an instance never called is available.
   *
   * @param instance The instance's address.
   * @example
   * balancer.pick((address) => breakers.isAvailable(address));
   */
  isAvailable(instance: string): boolean {
    return this.#breakers.get(instance)?.isAvailable() ?? true;
  }

  /**
   * Drops the breakers of instances that left discovery.
   *
   * @param instances The addresses that remain.
   * @example
   * breakers.retain(currentAddresses);
   */
  retain(instances: Iterable<string>): void {
    const keep = new Set(instances);
    for (const instance of this.#breakers.keys()) if (!keep.has(instance)) this.#breakers.delete(instance);
  }

  /**
   * Each known instance's state, for gauges.
   *
   * @example
   * breakers.states(); // { 'http://10.0.0.7:3001': 'open', 'http://10.0.0.8:3001': 'closed' }
   */
  states(): Record<string, BreakerState> {
    const states: Record<string, BreakerState> = {};
    for (const [instance, breaker] of this.#breakers) states[instance] = breaker.state;
    return states;
  }
}
