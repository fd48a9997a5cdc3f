// The consumer lag gauge on a real Redis (7+: XINFO GROUPS reports `lag`): events published while a
// group has no consumer reading show as its lag, read at scrape time.
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisBus } from '../../../runtime/bus/redis/index.js';
import { BusMetrics } from '../../../runtime/observability/metrics/bus.js';
import { createLogger } from '../../support/runtime.js';
import { BROKER_URLS, deleteBusNamespace } from '../../support/brokers.js';
import { sampleOf } from '../../support/metrics-text.js';

const namespace = `test-${randomUUID().slice(0, 8)}`;
const bus = createRedisBus({ url: BROKER_URLS.redis, prefix: `${namespace}:`, logger: createLogger({ service: 'bus', level: 'silent' }) });

afterAll(async () => {
  await bus.close();
  await deleteBusNamespace('redis', namespace, ['shipping']);
});

const envelope = () => ({ id: randomUUID(), event: 'parcel.sent', version: 1, source: 'test', time: new Date().toISOString(), payload: {} });

describe('meshspec_bus_consumer_lag on Redis', () => {
  it('shows the entries a group has not been delivered yet', async () => {
    const registry = new Registry();
    const metrics = new BusMetrics(registry);
    const metered = metrics.meterSubscriptions(bus);
    // Subscribed (the group exists), then no consumer reads: what is published waits.
    const subscription = await metered.subscribe('parcel.sent', 'shipping', async () => undefined);
    await subscription.unsubscribe();
    for (let i = 0; i < 3; i++) await bus.publish(envelope());
    expect(sampleOf(await registry.metrics(), 'meshspec_bus_consumer_lag', { event: 'parcel.sent' })).toBe(3);

    // A consumer catches up: the lag goes back to 0.
    let handled = 0;
    const reading = await metered.subscribe('parcel.sent', 'shipping', async () => void handled++);
    await expect.poll(() => handled, { timeout: 10_000 }).toBe(3);
    expect(sampleOf(await registry.metrics(), 'meshspec_bus_consumer_lag', { event: 'parcel.sent' })).toBe(0);
    await reading.unsubscribe();
  });
});
