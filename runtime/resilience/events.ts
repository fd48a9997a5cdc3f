// What the pipeline reports, one event per thing worth a log line: a retry and its reason, a retry
// the budget or the deadline refused, a breaker changing state, a call rejected at once, a fallback
// used. Each names the dependency, and the instance when one is known.
import type { BreakerState } from './breaker.js';
import type { FailureKind } from './classify.js';

export type ResilienceEvent =
  | {
      readonly type: 'retry';
      readonly dependency: string;
      /** The instance the failed attempt went to, when a picker chose one. */
      readonly instance: string | undefined;
      /** The attempt that failed (1 for the first). */
      readonly attempt: number;
      readonly reason: FailureKind;
      readonly waitMs: number;
    }
  | {
      readonly type: 'retry-denied';
      readonly dependency: string;
      readonly attempt: number;
      readonly reason: FailureKind;
      /** `budget`: the retry budget is spent; `deadline`: the wait would end past the call's deadline. */
      readonly by: 'budget' | 'deadline';
    }
  | {
      readonly type: 'breaker';
      readonly dependency: string;
      readonly instance: string;
      readonly from: BreakerState;
      readonly to: BreakerState;
    }
  | {
      readonly type: 'rejected';
      readonly dependency: string;
      /** `deadline-passed`: not started; `bulkhead-full`; `circuit-open`: no instance admits a call. */
      readonly reason: 'deadline-passed' | 'bulkhead-full' | 'circuit-open';
    }
  | {
      readonly type: 'fallback';
      readonly dependency: string;
      /** The callee's endpoint whose call the fallback answered, when the call named it. */
      readonly endpoint: string | undefined;
      /** The failure the fallback answered. */
      readonly reason: FailureKind;
    };

/** Told of every event; must not throw (a logger, a test's recorder). */
export type ResilienceObserver = (event: ResilienceEvent) => void;
