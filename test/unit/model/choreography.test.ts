// A choreographed saga, from spec to model: its events and steps, each step's event hook found in
// its service's `subscribes`, and the steps each participant takes with the failure events that
// trigger its compensation (what the generated contract and the runtime read).
import { describe, expect, it } from 'vitest';
import { choreographiesOf, choreographyPartsOf, compensationsOf, orchestratedSagasOf, sagasOf } from '../../../generator/model/lookup.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { repoRoot } from '../../support/project.js';

async function model() {
  const { model, diagnostics } = await compileSpec('test/fixtures/choreography/spec', repoRoot);
  if (!model) throw new Error(`test/fixtures/choreography does not compile: ${JSON.stringify(diagnostics)}`);
  expect(diagnostics).toEqual([]);
  return model;
}

describe('choreographed sagas in the model', () => {
  it('builds the saga of its owner, with each step\'s event hook', async () => {
    const m = await model();
    const orders = m.services.find((s) => s.name === 'orders')!;
    expect(orchestratedSagasOf(orders)).toEqual([]);
    const [saga] = sagasOf(orders);
    expect(saga?.kind).toBe('choreographed');
    if (saga?.kind !== 'choreographed') return;
    expect({ ...saga.choreography, steps: saga.choreography.steps.map(({ source: _source, ...step }) => step) }).toEqual({
      correlate: 'orderId',
      starts: 'order.created',
      completes: 'order.confirmed',
      steps: [
        { name: 'charge', service: 'payments', on: 'order.created', hook: 'chargeOrder', succeeds: 'payment.completed', fails: 'payment.failed', compensate: 'refundCharge' },
        { name: 'reserve', service: 'inventory', on: 'payment.completed', hook: 'reserveStock', succeeds: 'stock.reserved', fails: 'stock.failed', compensate: 'releaseStock' },
        { name: 'confirm', service: 'orders', on: 'stock.reserved', hook: 'confirmOrder', succeeds: 'order.confirmed', fails: 'order.rejected', compensate: null },
      ],
    });
    expect(saga.choreography.steps[1]?.source).toEqual({ file: 'spec/services/orders.yaml', line: 37, col: 9 });
    expect(choreographiesOf(m).map((s) => s.name)).toEqual(['fulfilOrder']);
  });

  it('gives each participant its steps, compensated on the later steps\' failure events only', async () => {
    const m = await model();
    const on = (svc: string) => choreographyPartsOf(m, svc).map((p) => [p.step.name, p.compensateOn]);
    expect(on('payments')).toEqual([['charge', ['stock.failed', 'order.rejected']]]);
    expect(on('inventory')).toEqual([['reserve', ['order.rejected']]]);
    expect(on('orders')).toEqual([['confirm', []]]);
    expect(compensationsOf(m, 'orders')).toEqual([]);
    expect(compensationsOf(m, 'payments').map((p) => p.step.compensate)).toEqual(['refundCharge']);
  });

  it('still synthesizes the owner\'s status type and saga events', async () => {
    const m = await model();
    expect(m.events.filter((e) => e.name.startsWith('fulfilOrder.')).map((e) => [e.name, e.payload])).toEqual([
      ['fulfilOrder.completed', 'FulfilOrderCompleted'],
      ['fulfilOrder.failed', 'FulfilOrderFailed'],
    ]);
    expect(m.services.find((s) => s.name === 'orders')?.endpoints.find((e) => e.name === 'getFulfilment')?.output?.type).toBe('FulfilOrderStatus');
  });
});
