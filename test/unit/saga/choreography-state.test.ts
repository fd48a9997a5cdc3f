// How the owner of a choreographed saga works out its state from the steps recorded so far (reports
// arrive in any order), and what it accepts as a participant's report.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnprocessableEvent } from '../../../runtime/bus/types.js';
import { parseReport } from '../../../runtime/saga/choreography/reports.js';
import { sagaStateOf } from '../../../runtime/saga/choreography/owner.js';
import type { ChoreographedSagaDescriptor } from '../../../runtime/service/definition.js';

const fulfilOrder: ChoreographedSagaDescriptor = {
  saga: 'fulfilOrder',
  correlate: 'orderId',
  starts: 'order.created',
  completes: 'order.confirmed',
  steps: [
    { step: 'charge', service: 'payments', succeeds: 'payment.completed', fails: 'payment.failed', compensate: 'refundCharge' },
    { step: 'note', service: 'audit', succeeds: 'order.noted', fails: null, compensate: null },
    { step: 'reserve', service: 'inventory', succeeds: 'stock.reserved', fails: 'stock.failed', compensate: 'releaseStock' },
    { step: 'confirm', service: 'orders', succeeds: 'order.confirmed', fails: 'order.rejected', compensate: null },
  ],
};

type Row = Parameters<typeof sagaStateOf>[1][number];
const row = (step: string, phase: Row['phase'], outcome: Row['outcome'], error?: [string, string]): Row => ({
  step, phase, outcome, error_code: error?.[0] ?? null, error_message: error?.[1] ?? null,
});

describe('sagaStateOf', () => {
  it('is running until the last step succeeds, then completed', () => {
    expect(sagaStateOf(fulfilOrder, [])).toEqual({ state: 'running' });
    expect(sagaStateOf(fulfilOrder, [row('charge', 'forward', 'succeeded'), row('reserve', 'forward', 'started', ['Internal', 'x'])])).toEqual({ state: 'running' });
    expect(sagaStateOf(fulfilOrder, [row('confirm', 'forward', 'succeeded')])).toEqual({ state: 'completed' });
  });

  it('owes the compensations of the steps before the failed one, even before their success reports arrive', () => {
    const rejected = row('confirm', 'forward', 'failed', ['order.rejected', 'no']);
    const failure = { step: 'confirm', code: 'order.rejected', message: 'no' };
    expect(sagaStateOf(fulfilOrder, [rejected])).toEqual({ state: 'compensating', failure });
    expect(sagaStateOf(fulfilOrder, [rejected, row('reserve', 'compensate', 'succeeded')])).toEqual({ state: 'compensating', failure });
    expect(sagaStateOf(fulfilOrder, [rejected, row('reserve', 'compensate', 'succeeded'), row('charge', 'compensate', 'started')])).toEqual({ state: 'compensating', failure });
    expect(sagaStateOf(fulfilOrder, [rejected, row('reserve', 'compensate', 'succeeded'), row('charge', 'compensate', 'succeeded')])).toEqual({ state: 'compensated', failure });
    expect(sagaStateOf(fulfilOrder, [rejected, row('reserve', 'compensate', 'failed'), row('charge', 'compensate', 'succeeded')])).toEqual({ state: 'stuck', failure });
  });

  it('owes nothing when the first step failed', () => {
    expect(sagaStateOf(fulfilOrder, [row('charge', 'forward', 'failed', ['payment.failed', 'declined'])])).toEqual({ state: 'compensated', failure: { step: 'charge', code: 'payment.failed', message: 'declined' } });
  });

  it('reaches the same state whatever order the rows came in', () => {
    const rows = [row('charge', 'forward', 'succeeded'), row('note', 'forward', 'succeeded'), row('reserve', 'forward', 'failed', ['stock.failed', 'none']), row('charge', 'compensate', 'succeeded')];
    fc.assert(fc.property(fc.shuffledSubarray(rows, { minLength: rows.length }), (shuffled) => {
      expect(sagaStateOf(fulfilOrder, shuffled)).toEqual({ state: 'compensated', failure: { step: 'reserve', code: 'stock.failed', message: 'none' } });
    }));
  });
});

describe('parseReport', () => {
  const good = { saga: 'fulfilOrder', sagaId: 'o-1', step: 'charge', phase: 'forward', outcome: 'succeeded', attempts: 1, event: 'payment.completed' };

  it('takes a report as a participant writes it', () => {
    expect(parseReport(good)).toEqual(good);
    expect(parseReport({ ...good, outcome: 'started', error: { code: 'Internal', message: 'x' } })).toMatchObject({ outcome: 'started' });
  });

  it('refuses anything else as unprocessable, naming each bad field', () => {
    expect(() => parseReport(null)).toThrow(UnprocessableEvent);
    expect(() => parseReport({ ...good, sagaId: 'has spaces', attempts: -1, phase: 'sideways' })).toThrow('not a saga step report: bad sagaId, phase, attempts');
    expect(() => parseReport({ ...good, error: 'boom', step: 'x'.repeat(201) })).toThrow('bad step, error');
  });
});
