// The failure policy of a limiter whose store is unavailable: requests are answered at once by the
// policy (fail open: allow; fail closed: refuse), the outage is logged when it starts and when it ends
// (never per request), and the decisions made during it are counted for a metric. While the store is
// down, one request at a time probes it; the others are decided without touching it, so a hung
// Redis costs at most one request the timeout at a time and no pile of stale commands.
import type { Logger } from 'pino';
import type { RateLimitDecision } from './types.js';

/**
 * Settings of {@link StoreOutagePolicy}.
 *
 * @example
 * const settings: OutagePolicySettings = { name: 'api', limit: 100, policy: '100;w=60', failOpen: true, retryAfterMs: 1_000, logger };
 */
export interface OutagePolicySettings {
  /** The limiter's name, on the log lines. */
  readonly name: string;
  /** The limiter's quota, reported on degraded decisions. */
  readonly limit: number;
  /** The limiter's `RateLimit-Policy`. */
  readonly policy: string;
  /** Allow (true) or refuse (false) requests while the store is unavailable. */
  readonly failOpen: boolean;
  /** `Retry-After` of a request refused by failing closed, ms. */
  readonly retryAfterMs: number;
  /** Where the outage's start and end are logged. */
  readonly logger: Logger;
}

/**
 * Runs store calls under the failure policy, tracking whether the store is down.
 *
 * @example
 * const outage = new StoreOutagePolicy({ name: 'api', limit: 100, policy: '100;w=60', failOpen: true, retryAfterMs: 1_000, logger });
 * const decision = await outage.run(() => store.consume('203.0.113.7'));
 */
export class StoreOutagePolicy {
  readonly #settings: OutagePolicySettings;
  readonly #fallback: RateLimitDecision;
  #down = false;
  #downSince = 0;
  #probing = false;
  /** Bumped when the store goes down or comes back: a call started before a change cannot undo it. */
  #epoch = 0;
  #degradedDecisions = 0;
  #degradedThisOutage = 0;
  #outages = 0;

  /** @param settings the limiter's name, quota, policy, failOpen, fail-closed retryAfterMs and logger */
  constructor(settings: OutagePolicySettings) {
    this.#settings = settings;
    const { limit, policy, failOpen, retryAfterMs } = settings;
    this.#fallback = Object.freeze(
      failOpen
        ? { allowed: true, limit, remaining: limit, resetMs: 0, retryAfterMs: 0, policy, degraded: true }
        : { allowed: false, limit, remaining: 0, resetMs: retryAfterMs, retryAfterMs, policy, degraded: true },
    );
  }

  /** Whether the store is unavailable now. */
  get down(): boolean {
    return this.#down;
  }

  /** Decisions made by the failure policy since the limiter started. */
  get degradedDecisions(): number {
    return this.#degradedDecisions;
  }

  /** Outages seen since the limiter started. */
  get outages(): number {
    return this.#outages;
  }

  /**
   * Asks the store, or answers by the failure policy when it fails or is known to be down.
   *
   * @param attempt the store call; any rejection counts as the store being unavailable
   */
  async run(attempt: () => Promise<RateLimitDecision>): Promise<RateLimitDecision> {
    if (this.#down && this.#probing) return this.#degraded();
    const epoch = this.#epoch;
    const probe = this.#down;
    if (probe) this.#probing = true;
    try {
      const decision = await attempt();
      if (this.#down && epoch === this.#epoch) this.#recovered();
      return decision;
    } catch (error) {
      if (!this.#down && epoch === this.#epoch) this.#wentDown(error);
      return this.#degraded();
    } finally {
      if (probe) this.#probing = false;
    }
  }

  #degraded(): RateLimitDecision {
    this.#degradedDecisions += 1;
    this.#degradedThisOutage += 1;
    return this.#fallback;
  }

  #wentDown(error: unknown): void {
    this.#down = true;
    this.#downSince = Date.now();
    this.#degradedThisOutage = 0;
    this.#epoch += 1;
    this.#outages += 1;
    const { name, failOpen, logger } = this.#settings;
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ limiter: name, reason, failOpen }, `rate limit store unavailable: ${failOpen ? 'allowing' : 'refusing'} requests until it is back`);
  }

  #recovered(): void {
    this.#down = false;
    this.#epoch += 1;
    const { name, logger } = this.#settings;
    logger.info({ limiter: name, outageMs: Date.now() - this.#downSince, degradedDecisions: this.#degradedThisOutage }, 'rate limit store available again');
  }
}
