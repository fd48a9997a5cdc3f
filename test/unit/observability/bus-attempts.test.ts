// The bus metrics tell a retry from the last attempt with the bus's own attempts limit (the spec's
// runtime.bus.maxAttempts), not the runtime's default of 5, when a subscription names none.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus, type MemoryBus } from '../../../runtime/bus/memory.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { BusMetrics } from '../../../runtime/observability/metrics/bus.js';

let bus: MemoryBus | null = null;
afterEach(async () => {
  await bus?.close();
  bus = null;
});

const envelope = { id: 'e-1', event: 'thing.happened', version: 1, source: 'maker', time: new Date(0).toISOString(), payload: {} };

async function counts(registry: Registry): Promise<{ retried: number; deadLettered: number; failed: number }> {
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = await registry.getSingleMetric(name)!.get();
    return metric.values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && v.labels['event'] === 'thing.happened').reduce((sum, v) => sum + v.value, 0);
  };
  return {
    retried: await value('meshspec_bus_retried_total'),
    deadLettered: await value('meshspec_bus_dead_lettered_total'),
    failed: await value('meshspec_bus_handled_total', { outcome: 'failed' }),
  };
}

/** A handler that always fails, subscribed through the metered bus; resolves once the bus gave up. */
async function failEveryAttempt(maxAttempts: number, subscriptionAttempts?: number) {
  bus = createMemoryBus({ maxAttempts, retryDelayMs: 1, maxRetryDelayMs: 1, logger: createLogger({ service: 'bus', level: 'silent' }) });
  const registry = new Registry();
  const metered = new BusMetrics(registry).meterSubscriptions(bus);
  let calls = 0;
  await metered.subscribe('thing.happened', 'taker', async () => {
    calls += 1;
    throw new Error('always');
  }, subscriptionAttempts === undefined ? undefined : { maxAttempts: subscriptionAttempts });
  await bus.publish(envelope);
  await bus.idle();
  return { calls, deadLetters: bus.deadLetters.length, ...(await counts(registry)) };
}

describe('bus metrics and the attempts limit', () => {
  it('reads the bus its limit through the metered bus', () => {
    const memory = createMemoryBus({ maxAttempts: 2, logger: createLogger({ service: 'bus', level: 'silent' }) });
    bus = memory;
    expect(new BusMetrics(new Registry()).meterSubscriptions(memory).maxAttempts).toBe(2);
  });

  it('counts a bus limit of 2 as one retry and one dead letter (not two retries)', async () => {
    const seen = await failEveryAttempt(2);
    expect(seen).toEqual({ calls: 2, deadLetters: 1, failed: 2, retried: 1, deadLettered: 1 });
  });

  it('counts a bus limit of 10 as nine retries and one dead letter (not a dead letter at the 5th attempt and the 10th)', async () => {
    const seen = await failEveryAttempt(10);
    expect(seen).toEqual({ calls: 10, deadLetters: 1, failed: 10, retried: 9, deadLettered: 1 });
  });

  it("lets the subscription's own limit win over the bus's", async () => {
    const seen = await failEveryAttempt(10, 3);
    expect(seen).toEqual({ calls: 3, deadLetters: 1, failed: 3, retried: 2, deadLettered: 1 });
  });
});
