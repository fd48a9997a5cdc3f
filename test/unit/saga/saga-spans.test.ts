// The saga's spans: a drive span in the starting request's trace, one span per attempt of each step
// and compensation under it, the step's own work (its client call) under the attempt's span.
import { context, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conflict, Unavailable } from '../../../runtime/errors/index.js';
import { TRACER_NAME } from '../../../runtime/observability/tracing/tracer.js';
import { createMemorySagaLog } from '../../../runtime/saga/log/memory.js';
import { createSagaOrchestrator } from '../../../runtime/saga/orchestrator.js';
import type { SagaDefinition } from '../../../runtime/saga/types.js';
import { parentOf, registerTestTracing, type TestTracing } from '../../support/tracing.js';

let tracing: TestTracing;
beforeEach(() => {
  tracing = registerTestTracing();
});
afterEach(async () => {
  await tracing.close();
});

/** reserve (retried once after Unavailable in each saga, compensated), then charge, declined: compensation. */
function saga(): SagaDefinition {
  const reserved = new Set<string>();
  const tracer = () => trace.getTracer(TRACER_NAME);
  return {
    name: 'placeOrder',
    steps: [
      {
        name: 'reserve',
        endpoint: 'inventory.reserve',
        run: async (view) => {
          const first = !reserved.has(view.id);
          reserved.add(view.id);
          // The step's own work, as a client call would record it.
          tracer().startSpan('inventory.reserve call').end();
          if (first) throw new Unavailable('inventory restarting');
          return { reservation: 'r-1' };
        },
        compensation: { endpoint: 'inventory.release', run: async () => ({}) },
      },
      { name: 'charge', endpoint: 'payments.charge', run: async () => Promise.reject(new Conflict('card declined')) },
    ],
  };
}

/** The orders service's orchestrator of that saga, over a memory log, with short waits. */
function orchestrator() {
  return createSagaOrchestrator({
    service: 'orders',
    sagas: [saga()],
    log: createMemorySagaLog(),
    logger: pino({ level: 'silent' }),
    stepAttempts: 3,
    backoff: { initialMs: 1, maxMs: 2 },
    sleep: async () => undefined,
  });
}

describe('saga spans', () => {
  it('records the drive, each attempt and each compensation, in the trace of the request that started the saga', async () => {
    const sagas = orchestrator();
    const request = trace.getTracer(TRACER_NAME).startSpan('POST /orders/place');
    // One saga started outside any request (its trace is its own), one inside `request`'s context.
    const id = await sagas.start('placeOrder', {});
    const inRequest = await context.with(trace.setSpan(context.active(), request), () => sagas.start('placeOrder', {}));
    await sagas.wait(id, 5000);
    const record = await sagas.wait(inRequest, 5000);
    request.end();
    await sagas.close();
    expect(record?.state).toBe('compensated');
    const alone = tracing.spans().find((s) => s.name === 'saga placeOrder' && s.attributes['meshspec.saga.id'] === id)!;
    expect(parentOf(alone)).toBe('');
    expect(alone.spanContext().traceId).not.toBe(request.spanContext().traceId);

    const spans = tracing.spans().filter((s) => s.attributes['meshspec.saga.id'] === inRequest || s.name === 'inventory.reserve call');
    const drive = spans.find((s) => s.name === 'saga placeOrder')!;
    expect(drive, 'the drive span').toBeDefined();
    expect(parentOf(drive)).toBe(request.spanContext().spanId);
    expect(drive.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(drive.attributes['meshspec.saga.state']).toBe('compensated');

    const attempts = spans.filter((s) => s.name === 'saga placeOrder reserve').sort((a, b) => Number(a.attributes['meshspec.saga.attempt']) - Number(b.attributes['meshspec.saga.attempt']));
    expect(attempts.map((s) => s.attributes['meshspec.saga.attempt'])).toEqual([1, 2]);
    expect(attempts.map((s) => s.status.code)).toEqual([2, 0]); // ERROR, then UNSET (ok)
    for (const attempt of attempts) expect(parentOf(attempt)).toBe(drive.spanContext().spanId);
    // The step's work is the child of its attempt's span.
    const work = tracing.spans().filter((s) => s.name === 'inventory.reserve call' && s.spanContext().traceId === drive.spanContext().traceId);
    expect(work.map(parentOf).sort()).toEqual(attempts.map((s) => s.spanContext().spanId).sort());

    const charge = spans.find((s) => s.name === 'saga placeOrder charge')!;
    expect(charge.status.code).toBe(2);
    expect(charge.attributes['error.type']).toBe('Conflict');
    const compensation = spans.find((s) => s.name === 'saga placeOrder compensate reserve')!;
    expect(compensation.attributes['meshspec.saga.phase']).toBe('compensate');
    expect(parentOf(compensation)).toBe(drive.spanContext().spanId);
  });

  it('records nothing, and drives the same, when tracing is off', async () => {
    await tracing.close();
    const sagas = orchestrator();
    const record = await sagas.wait(await sagas.start('placeOrder', {}), 5000);
    await sagas.close();
    expect(record?.state).toBe('compensated');
    tracing = registerTestTracing();
  });
});
