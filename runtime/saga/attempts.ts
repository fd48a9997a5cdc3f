// One step (or compensation) until it has an outcome: each attempt is logged `started` before its
// call, carries the same idempotency key, and is bounded by the step's timeout; an unknown outcome
// is retried with backoff, a rejection (any 4xx) is final at once. A call this service's own breaker
// or bulkhead refused was never sent: when running out of attempts would leave the saga stuck, such a
// refusal uses up none (an open breaker, 10-15 s, outlasts the backoff of a compensation's attempts).
import { isMeshError } from '../errors/index.js';
import { backoffWait } from '../resilience/backoff.js';
import { classify, type FailureKind } from '../resilience/classify.js';
import { AttemptTimedOut } from '../resilience/errors.js';
import { DriveStopped, type DriveContext } from './drive-context.js';
import type { StepKey, StepResult } from './log/types.js';
import { stepError } from './step-error.js';
import { traceSagaAttempt } from '../observability/tracing/saga.js';
import type { SagaView, StepRun } from './types.js';

/**
 * How a step or compensation ended: its output, or its last error and whether it may have taken
 * effect (`uncertain`: its attempts ran out on unknown outcomes).
 *
 * @example
 * const outcome: AttemptsOutcome = { ok: false, uncertain: false, error: { code: 'Conflict', message: 'out of stock' } };
 */
export type AttemptsOutcome =
  | { readonly ok: true; readonly output: unknown }
  | { readonly ok: false; readonly uncertain: boolean; readonly error: { code: string; message: string } };

/**
 * What to call, and how many times at most.
 *
 * @example
 * const call: AttemptsPlan = { saga: 'placeOrder', sagaId, key: { step: 'charge', phase: 'forward' }, run, view, timeoutMs: 2000, maxAttempts: 3, priorAttempts: 0 };
 */
export interface AttemptsPlan {
  /** The saga's name (its spans are named after it). */
  readonly saga: string;
  readonly sagaId: string;
  readonly key: StepKey;
  readonly run: StepRun;
  readonly view: SagaView;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** Attempts the log already shows (a resumed saga): counted, but one more call is always made. */
  readonly priorAttempts: number;
  /** The previous step's success, not yet in the log: written with this step's first `started`. */
  readonly previous?: StepResult;
  /**
   * The first attempt's `started` is already in the log, written with the saga itself
   * (NewSaga.firstStep; `priorAttempts` is then 0): it is not written again. Default false.
   */
  readonly startLogged?: boolean;
  /**
   * The saga is stuck when this call's attempts run out (a step that cannot be given up; a
   * compensation is always): refusals of the service's own breaker or bulkhead, nothing sent, use up
   * no attempt and are waited out with the backoff. A half-open breaker lets calls through again, and
   * their failures count. Default false.
   */
  readonly stuckWhenExhausted?: boolean;
}

/** Failures of calls the caller's own resilience refused before sending anything. */
const NOT_SENT: ReadonlySet<FailureKind> = new Set(['circuitOpen', 'bulkheadFull']);

/**
 * Calls a step or compensation until it has an outcome. Rejects with LeaseLost or DriveStopped when
 * it must stop (the log's writes are fenced).
 *
 * @param ctx - the orchestrator's drive context
 * @param plan - the call
 * @example
 * const outcome = await runAttempts(ctx, { saga: definition.name, sagaId, key, run: step.run, view, timeoutMs: 2000, maxAttempts: 3, priorAttempts: 0 });
 */
export async function runAttempts(ctx: DriveContext, plan: AttemptsPlan): Promise<AttemptsOutcome> {
  const { options } = ctx;
  const compensating = plan.key.phase === 'compensate';
  const idempotencyKey = `saga:${plan.sagaId}:${plan.key.step}${compensating ? ':compensate' : ''}`;
  const maxAttempts = Math.max(plan.maxAttempts, plan.priorAttempts + 1);
  let previous = plan.previous;
  const waitOutRefusals = compensating || plan.stuckWhenExhausted === true;
  let counted = plan.priorAttempts;
  let logged = plan.startLogged === true;
  for (let attempt = plan.priorAttempts + 1; ; attempt += 1) {
    try {
      ctx.checkpoint(plan.sagaId);
    } catch (err) {
      // Stopping (close): the previous step's success is still written, so no replica calls it again.
      if (previous && err instanceof DriveStopped) await options.log.record(plan.sagaId, options.owner, options.leaseMs, { result: previous });
      throw err;
    }
    // Log before act: this attempt is `started` in the log before its call (already, when `logged`).
    if (!logged) await options.log.stepStarted(plan.sagaId, options.owner, plan.key, options.leaseMs, previous);
    logged = false;
    previous = undefined;
    try {
      const call = { idempotencyKey, deadline: options.now() + plan.timeoutMs, requestId: plan.sagaId };
      const output = await traceSagaAttempt({ service: options.service, saga: plan.saga, sagaId: plan.sagaId }, plan.key, attempt, () => callWithTimeout(plan, call));
      return { ok: true, output };
    } catch (err) {
      const classification = classify(err);
      // Nothing to undo: the compensation's effect is already the state of things.
      if (compensating && isMeshError(err, 'NotFound')) return { ok: true, output: null };
      const error = stepError(err, classification.kind);
      if (!compensating && classification.kind === 'rejected') return { ok: false, uncertain: false, error };
      const notSent = waitOutRefusals && NOT_SENT.has(classification.kind);
      if (!notSent) counted += 1;
      if (counted >= maxAttempts) {
        options.logger.warn({ sagaId: plan.sagaId, step: plan.key.step, phase: plan.key.phase, attempts: attempt, err }, 'saga step failed: attempts exhausted');
        return { ok: false, uncertain: !compensating, error };
      }
      options.logger.info({ sagaId: plan.sagaId, step: plan.key.step, phase: plan.key.phase, attempt, code: error.code }, 'saga step attempt failed: retrying');
      if (compensating) ctx.stats.compensationRetries += 1;
      else ctx.stats.stepRetries += 1;
      await options.log.record(plan.sagaId, options.owner, options.leaseMs, { result: { ...plan.key, outcome: 'retrying', error, ...(notSent && { notSent }) } });
      const wait = Math.max(backoffWait({ ...options.backoff, jitter: 'full' }, attempt), Math.min(classification.retryAfterMs ?? 0, options.backoff.maxMs));
      await ctx.pause(wait);
    }
  }
}

function callWithTimeout(plan: AttemptsPlan, call: { idempotencyKey: string; deadline: number; requestId: string }): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimedOut(`saga step ${plan.key.step} took longer than ${plan.timeoutMs} ms`)), plan.timeoutMs);
  });
  // A step that throws synchronously is a failed attempt like any other.
  const called = (async () => plan.run(plan.view, call))();
  return Promise.race([called, timedOut]).finally(() => clearTimeout(timer));
}
