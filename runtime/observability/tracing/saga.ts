// Spans of a saga's orchestration: one INTERNAL span per drive of a saga (from its start, or its
// resumption, to a final state or a stop), and one per attempt of each step and compensation inside
// it, active while the attempt runs, so the step's client call (and the callee's server span) are its
// children. A saga started by a request drives in that request's context: its spans are part of the
// request's trace. One resumed by a replica starts a trace of its own. A choreographed saga has no
// drive: each participant's step and compensation gets an attempt span under the consumer span of
// the event that triggered it, so the events its hook publishes continue from it.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import { activeTracer } from './tracer.js';
import { endWithError } from './server.js';

/** Which saga a span is about. */
export interface SagaSpanSubject {
  /** The owning service (its tracer records the span). */
  readonly service: string;
  /** The saga's name, `placeOrder`. */
  readonly saga: string;
  readonly sagaId: string;
}

/**
 * Runs one drive of a saga inside a `saga <name>` span (nothing more when tracing is off).
 *
 * @param subject - the service, saga and id
 * @param how - `resumed`: the drive resumes a saga another drive left; `parent`: the span of the
 *   request that started the saga (the drive runs detached from that request's context), if any
 * @param drive - the drive; its result's `state` (when it has one) is the span's `meshspec.saga.state`
 * @example
 * const final = await traceSagaDrive({ service: 'orders', saga: 'placeOrder', sagaId }, { resumed: false, parent }, () => driveSaga(ctx, definition, loaded));
 */
export async function traceSagaDrive<T extends { readonly state?: string } | undefined>(
  subject: SagaSpanSubject,
  how: { readonly resumed: boolean; readonly parent?: SpanContext | undefined },
  drive: () => Promise<T>,
): Promise<T> {
  const tracer = activeTracer(subject.service);
  if (tracer === undefined) return drive();
  const span = tracer.startSpan(
    `saga ${subject.saga}`,
    { kind: SpanKind.INTERNAL, attributes: { 'meshspec.saga.name': subject.saga, 'meshspec.saga.id': subject.sagaId, 'meshspec.saga.resumed': how.resumed } },
    how.parent ? trace.setSpanContext(ROOT_CONTEXT, how.parent) : ROOT_CONTEXT,
  );
  try {
    const result = await context.with(trace.setSpan(context.active(), span), drive);
    const state = result?.state;
    if (state !== undefined) {
      span.setAttribute('meshspec.saga.state', state);
      if (state === 'stuck') span.setStatus({ code: SpanStatusCode.ERROR, message: 'saga stuck' });
    }
    span.end();
    return result;
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
}

/**
 * Runs one attempt of a step (or compensation) inside a `saga <name> <step>` span (`... compensate
 * <step>` for a compensation); a failed attempt ends it with the error.
 *
 * @param subject - the service, saga and id
 * @param step - the step's name and phase
 * @param attempt - the attempt's number, from 1
 * @param run - the attempt
 * @param failureOf - a failure the attempt answers rather than throws (a choreographed step that
 *   published its `fails` event): the span ends in error with its code as `error.type`. Default: none
 * @example
 * const output = await traceSagaAttempt(subject, { step: 'chargeCard', phase: 'forward' }, 1, () => call());
 */
export async function traceSagaAttempt<T>(
  subject: SagaSpanSubject,
  step: { readonly step: string; readonly phase: 'forward' | 'compensate' },
  attempt: number,
  run: () => Promise<T>,
  failureOf: (result: T) => { readonly code: string; readonly message: string } | undefined = () => undefined,
): Promise<T> {
  const tracer = activeTracer(subject.service);
  if (tracer === undefined) return run();
  const compensating = step.phase === 'compensate';
  const span = tracer.startSpan(`saga ${subject.saga} ${compensating ? 'compensate ' : ''}${step.step}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      'meshspec.saga.name': subject.saga,
      'meshspec.saga.id': subject.sagaId,
      'meshspec.saga.step': step.step,
      'meshspec.saga.phase': step.phase,
      'meshspec.saga.attempt': attempt,
    },
  });
  try {
    const output = await context.with(trace.setSpan(context.active(), span), run);
    const failure = failureOf(output);
    if (failure !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      span.setAttribute('error.type', failure.code);
    }
    span.end();
    return output;
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
}
