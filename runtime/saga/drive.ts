// Drives one saga from what the log says to a final state: forward through the steps that have no
// success recorded (a step `started` with no result is called again, with the same key), then, if a
// step failed, back through the compensations in reverse order. Every result is written before the
// next call, together with the saga's next state when it changes.
import { runAttempts } from './attempts.js';
import { DriveStopped, type DriveContext } from './drive-context.js';
import type { LoadedSaga, StepResult } from './log/types.js';
import type { SagaDefinition, SagaRecord, SagaView, StepRecord } from './types.js';

/**
 * Drives a saga whose lease the orchestrator holds, until it is completed, compensated or stuck.
 * Resolves with the saga's record as its final write left it (the log's answer to that write), or
 * undefined when the saga was already final. Rejects with LeaseLost or DriveStopped when it must
 * stop early (the saga stays in flight).
 *
 * @param ctx - the orchestrator's drive context
 * @param definition - the saga's steps
 * @param loaded - the saga as the log has it
 * @param firstAttemptLogged - the saga was just created with its first step's first attempt
 *   `started` (NewSaga.firstStep), not yet called: that attempt is not written again
 * @example
 * const loaded = await log.claim(id, owner, leaseMs);
 * if (loaded) await driveSaga(ctx, definitions.get(loaded.record.saga)!, loaded);
 */
export async function driveSaga(ctx: DriveContext, definition: SagaDefinition, loaded: LoadedSaga, firstAttemptLogged = false): Promise<SagaRecord | undefined> {
  const { record } = loaded;
  const outputs: Record<string, unknown> = {};
  for (const step of record.steps) if (step.phase === 'forward' && step.outcome === 'succeeded') outputs[step.step] = step.output ?? null;
  const view: SagaView = { id: record.id, input: record.input, outputs };

  if (record.state === 'running') {
    const ended = await forward(ctx, definition, record, view, outputs, firstAttemptLogged);
    if (!('failure' in ended)) return ended.final;
    return compensate(ctx, definition, record, view, ended);
  }
  if (record.state === 'compensating') {
    const index = definition.steps.findIndex((s) => s.name === record.failure?.step);
    if (index < 0) throw new DriveStopped(record.id, `its failed step '${record.failure?.step ?? '?'}' is not in saga ${definition.name} any more`);
    return compensate(ctx, definition, record, view, { index, uncertain: loaded.failedStepMayHaveApplied, failure: record.failure! });
  }
  return undefined;
}

async function forward(
  ctx: DriveContext,
  definition: SagaDefinition,
  record: SagaRecord,
  view: SagaView,
  outputs: Record<string, unknown>,
  firstAttemptLogged: boolean,
): Promise<{ index: number; uncertain: boolean; failure: Failure } | { final: SagaRecord | undefined }> {
  const { options } = ctx;
  const id = record.id;
  const steps = definition.steps;
  // A step's success is written with the next step's `started` (one write per step, not two).
  let pending: StepResult | undefined;
  for (const [index, step] of steps.entries()) {
    const logged = find(record.steps, step.name, 'forward');
    if (logged?.outcome === 'succeeded') continue;
    // A step that cannot be undone, after steps that can: giving up on an unknown outcome would undo
    // the earlier steps while its own effect may stand (an order confirmed, its payment refunded).
    // It is called again (same key) as long as a compensation would be, then left for a person.
    const cannotGiveUp = !step.compensation && steps.slice(0, index).some((s) => s.compensation);
    const outcome = await runAttempts(ctx, {
      saga: definition.name,
      sagaId: id,
      key: { step: step.name, phase: 'forward' },
      run: step.run,
      view,
      timeoutMs: step.timeoutMs ?? options.stepTimeoutMs,
      maxAttempts: cannotGiveUp ? Math.max(options.stepAttempts, options.compensationAttempts) : options.stepAttempts,
      priorAttempts: logged?.attempts ?? 0,
      stuckWhenExhausted: cannotGiveUp,
      ...(pending ? { previous: pending } : {}),
      // Written with the saga (orchestrator.start): its first attempt's `started` is in the log.
      ...(index === 0 && firstAttemptLogged && !logged ? { startLogged: true } : {}),
    });
    pending = undefined;
    if (outcome.ok) {
      outputs[step.name] = outcome.output ?? null;
      const result: StepResult = { step: step.name, phase: 'forward', outcome: 'succeeded', output: outcome.output ?? null };
      if (index === steps.length - 1) return { final: await complete(ctx, definition, view, result) };
      pending = result;
      continue;
    }
    const failure = { step: step.name, ...outcome.error };
    if (outcome.uncertain && cannotGiveUp) {
      const final = await markStuck(ctx, definition, id, failure, { step: step.name, phase: 'forward', outcome: 'failed', error: outcome.error });
      options.logger.error(
        { sagaId: id, saga: definition.name, step: step.name, endpoint: step.endpoint, code: failure.code },
        'saga stuck: a step without compensation kept an unknown outcome after steps that can be undone; a person must resolve it (GET /sagas?state=stuck)',
      );
      return { final };
    }
    await options.log.record(id, options.owner, options.leaseMs, {
      result: { step: step.name, phase: 'forward', outcome: 'failed', error: outcome.error },
      next: { state: 'compensating', failure, failedStepMayHaveApplied: outcome.uncertain },
    });
    options.logger.info({ sagaId: id, saga: definition.name, step: step.name, code: failure.code, uncertain: outcome.uncertain }, 'saga step failed: compensating');
    return { index, uncertain: outcome.uncertain, failure };
  }
  // Every step's success was already in the log (or there are none): only the completion is left.
  return { final: await complete(ctx, definition, view, pending) };
}

async function markStuck(ctx: DriveContext, definition: SagaDefinition, id: string, failure: Failure, result: StepResult): Promise<SagaRecord | undefined> {
  const { options } = ctx;
  const publish = options.publish;
  const final = await options.log.record(id, options.owner, options.leaseMs, {
    result,
    next: { state: 'stuck', failure },
    ...(publish ? { inTransaction: async () => void (await publish(`${definition.name}.failed`, { sagaId: id, state: 'stuck', failure })) } : {}),
  });
  ctx.stats.stuck += 1;
  return final;
}

async function complete(ctx: DriveContext, definition: SagaDefinition, view: SagaView, result: StepResult | undefined): Promise<SagaRecord | undefined> {
  const { options } = ctx;
  const output = definition.output ? (definition.output(view) ?? null) : null;
  const publish = options.publish;
  const final = await options.log.record(view.id, options.owner, options.leaseMs, {
    ...(result ? { result } : {}),
    next: { state: 'completed', output },
    ...(publish ? { inTransaction: async () => void (await publish(`${definition.name}.completed`, { sagaId: view.id, output })) } : {}),
  });
  ctx.stats.completed += 1;
  return final;
}

async function compensate(
  ctx: DriveContext,
  definition: SagaDefinition,
  record: SagaRecord,
  view: SagaView,
  failed: { index: number; uncertain: boolean; failure: Failure },
): Promise<SagaRecord | undefined> {
  const { options } = ctx;
  const id = record.id;
  const { index: failedIndex, uncertain, failure } = failed;
  // The failed step's own compensation first when it may have taken effect, then the earlier
  // steps' (those with an output: they succeeded) in reverse order; compensations that already
  // succeeded (before a crash) are not called again.
  const pending = definition.steps
    .slice(0, failedIndex + 1)
    .map((step, index) => ({ step, index }))
    .filter(({ step, index }) => step.compensation && (index < failedIndex ? Object.hasOwn(view.outputs, step.name) : uncertain))
    .filter(({ step }) => find(record.steps, step.name, 'compensate')?.outcome !== 'succeeded')
    .reverse();
  const failedEvent = (state: 'compensated' | 'stuck') =>
    options.publish ? { inTransaction: async () => void (await options.publish!(`${definition.name}.failed`, { sagaId: id, state, failure })) } : {};

  if (pending.length === 0) {
    const final = await options.log.record(id, options.owner, options.leaseMs, { next: { state: 'compensated' }, ...failedEvent('compensated') });
    ctx.stats.compensated += 1;
    return final;
  }
  let final: SagaRecord | undefined;
  for (const [position, { step, index }] of pending.entries()) {
    const compensation = step.compensation!;
    const outcome = await runAttempts(ctx, {
      saga: definition.name,
      sagaId: id,
      key: { step: step.name, phase: 'compensate' },
      run: compensation.run,
      view: viewBefore(view, definition, index),
      timeoutMs: step.timeoutMs ?? options.stepTimeoutMs,
      maxAttempts: options.compensationAttempts,
      priorAttempts: find(record.steps, step.name, 'compensate')?.attempts ?? 0,
    });
    if (!outcome.ok) {
      const stuck = await markStuck(ctx, definition, id, failure, { step: step.name, phase: 'compensate', outcome: 'failed', error: outcome.error });
      options.logger.error(
        { sagaId: id, saga: definition.name, step: step.name, compensation: compensation.endpoint, code: outcome.error.code },
        'saga stuck: a compensation kept failing; a person must resolve it (GET /sagas?state=stuck)',
      );
      return stuck;
    }
    ctx.stats.compensations += 1;
    const last = position === pending.length - 1;
    final = await options.log.record(id, options.owner, options.leaseMs, {
      result: { step: step.name, phase: 'compensate', outcome: 'succeeded', output: outcome.output ?? null },
      ...(last ? { next: { state: 'compensated' as const }, ...failedEvent('compensated') } : {}),
    });
  }
  ctx.stats.compensated += 1;
  return final;
}

// A compensation reads what was known before its step ran: never its own step's output (it may
// have been lost) nor later steps'.
function viewBefore(view: SagaView, definition: SagaDefinition, index: number): SagaView {
  const outputs: Record<string, unknown> = {};
  for (const step of definition.steps.slice(0, index)) if (Object.hasOwn(view.outputs, step.name)) outputs[step.name] = view.outputs[step.name];
  return { id: view.id, input: view.input, outputs };
}

type Failure = NonNullable<SagaRecord['failure']>;

function find(steps: readonly StepRecord[], name: string, phase: StepRecord['phase']): StepRecord | undefined {
  return steps.find((s) => s.step === name && s.phase === phase);
}
