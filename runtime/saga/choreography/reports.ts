// What a participant tells a choreographed saga's owner: one small event per step outcome or
// compensation, on an event of the runtime's own (`meshspec.sagaReports.<owner>`), written to the
// participant's outbox in the transaction that decided it. The owner keeps its saga log from them.
import { boundText, MeshError } from '../../errors/index.js';
import { isSagaId } from '../ids.js';
import { UnprocessableEvent } from '../../bus/types.js';

/**
 * The event a saga's owner receives its participants' reports on. Not a spec event: the runtime
 * publishes and subscribes it itself. Its capital letter keeps it apart from every spec event (the
 * language's event names are lowercase words).
 *
 * @param owner - the saga's owning service
 * @example
 * reportEvent('orders'); // 'meshspec.sagaReports.orders'
 */
export function reportEvent(owner: string): string {
  return `meshspec.sagaReports.${owner}`;
}

/**
 * One report: a step's outcome (`phase: 'forward'`) or its compensation's (`'compensate'`).
 * `started` means attempts failed so far and the bus will deliver it again (`error` is the last);
 * a compensation `failed` for good makes the saga `stuck`.
 *
 * @example
 * const report: StepReport = { saga: 'fulfilOrder', sagaId: 'o-1', step: 'charge', phase: 'forward', outcome: 'succeeded', attempts: 1, event: 'payment.completed' };
 */
export interface StepReport {
  readonly saga: string;
  readonly sagaId: string;
  readonly step: string;
  readonly phase: 'forward' | 'compensate';
  readonly outcome: 'started' | 'succeeded' | 'failed';
  readonly attempts: number;
  /** The event the step published (`succeeds` or `fails`), for a decided forward step. */
  readonly event?: string;
  /** A failed step's reason (from its `fails` payload), or the last failed attempt's error. */
  readonly error?: { readonly code: string; readonly message: string };
}

const MAX_REPORT_TEXT = 300;
const PHASES = new Set(['forward', 'compensate']);
const OUTCOMES = new Set(['started', 'succeeded', 'failed']);

/**
 * Reads a report from an envelope's payload, refusing anything else (another version of the runtime,
 * a forged event) as unprocessable: it is dead-lettered, never half-applied.
 *
 * @param payload - the envelope's payload
 * @throws UnprocessableEvent naming what is wrong
 * @example
 * const report = parseReport(envelope.payload);
 */
export function parseReport(payload: unknown): StepReport {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const text = (name: string) => typeof p[name] === 'string' && (p[name] as string).length > 0 && (p[name] as string).length <= 200;
  const problems = [
    !text('saga') && 'saga',
    !(typeof p['sagaId'] === 'string' && isSagaId(p['sagaId'])) && 'sagaId',
    !text('step') && 'step',
    !PHASES.has(p['phase'] as string) && 'phase',
    !OUTCOMES.has(p['outcome'] as string) && 'outcome',
    !(Number.isInteger(p['attempts']) && (p['attempts'] as number) >= 0) && 'attempts',
    p['event'] !== undefined && !text('event') && 'event',
    p['error'] !== undefined && !isError(p['error']) && 'error',
  ].filter((problem): problem is string => problem !== false);
  if (problems.length > 0) throw new UnprocessableEvent(`not a saga step report: bad ${problems.join(', ')}`);
  return p as unknown as StepReport;
}

function isError(value: unknown): boolean {
  const e = value as { code?: unknown; message?: unknown } | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string';
}

/**
 * What a report keeps of a hook's error: a MeshError's code and message (meant for callers), of
 * anything else only that it threw (its text may carry an internal address: the service logs it).
 *
 * @param error - what the hook threw
 * @param service - whose log has the whole error
 * @example
 * hookError(new Conflict('out of stock'), 'inventory'); // { code: 'Conflict', message: 'out of stock' }
 */
export function hookError(error: unknown, service: string): { code: string; message: string } {
  if (error instanceof MeshError) return { code: error.code, message: boundText(error.message, MAX_REPORT_TEXT) };
  return { code: 'Internal', message: `the hook threw; see ${service}'s log` };
}

/**
 * The reason a failed step gives in its `fails` payload: its `reason` or `message` field when it is
 * text (bounded), else a sentence naming the step and event.
 *
 * @param step - the step's name
 * @param event - its `fails` event
 * @param payload - what it published
 * @example
 * failureOf('reserve', 'stock.failed', { orderId: 'o-1', reason: 'out of stock' }); // { code: 'stock.failed', message: 'out of stock' }
 */
export function failureOf(step: string, event: string, payload: unknown): { code: string; message: string } {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const reason = [p['reason'], p['message']].find((v): v is string => typeof v === 'string' && v.length > 0);
  return { code: event, message: reason === undefined ? `step ${step} published ${event}` : boundText(reason, MAX_REPORT_TEXT) };
}

/**
 * The saga id an event of a choreographed saga carries in its `correlate` field.
 *
 * @param payload - the event's (validated) payload
 * @param correlate - the saga's correlate field
 * @param event - the event's name, for the message
 * @throws UnprocessableEvent when it is missing or not a saga id (letters, digits, `. _ : -`, at most 128)
 * @example
 * correlatedId({ orderId: 'o-1' }, 'orderId', 'order.created'); // 'o-1'
 */
export function correlatedId(payload: unknown, correlate: string, event: string): string {
  const id = (payload as Record<string, unknown> | null)?.[correlate];
  if (typeof id !== 'string' || !isSagaId(id)) {
    throw new UnprocessableEvent(`'${event}' carries no saga id in '${correlate}' (letters, digits, . _ : - only, at most 128 characters)`);
  }
  return id;
}
