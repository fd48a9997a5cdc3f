// The event-bus part of bench/service.ts, run in its own forked child (publisher and handlers share
// one process, as with the memory bus). Each kind publishes in batches and waits for every delivery
// of a batch before the next, so nothing piles up; CPU and wall time cover publishing and delivery.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { events } from './generated/events.js';
import { inventoryDefinition } from './generated/inventory/definition.js';
import { ordersDefinition } from './generated/orders/definition.js';
import { schemas } from './generated/schemas.js';
import { createPublisher, subscribeAll } from '../runtime/bus/index.js';
import { createMemoryBus } from '../runtime/bus/memory.js';
import type { EventEnvelope } from '../runtime/bus/types.js';
import { createLogger } from '../runtime/logging/index.js';
import { createContextFactory } from '../runtime/service/context.js';
import { createValidators } from '../runtime/validation/index.js';
import { serveCpu } from './support.js';

export type BusKind = 'emitter' | 'emitter-clone' | 'memory' | 'typed' | 'typed-sub';

export interface BusRun {
  type: 'bus';
  kind: BusKind;
  warmup: number;
  events: number;
  batch: number;
  capMs: number;
}

export interface BusResult {
  type: 'bus-result';
  cpuUs: number;
  delivered: number;
  seconds: number;
}

const EVENT = 'order.confirmed';
const PAYLOAD = {
  orderId: '00000000-0000-4000-8000-000000000001',
  userId: '00000000-0000-4000-8000-000000000002',
  totalAmount: 49.9,
  status: 'confirmed',
};
const ENVELOPE: EventEnvelope = {
  id: '00000000-0000-4000-8000-000000000003',
  event: EVENT,
  version: 1,
  source: 'orders',
  time: new Date(0).toISOString(),
  requestId: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
  payload: PAYLOAD,
};

/** Publishes one event; `hit` is called once per delivery. */
type Publish = () => unknown;

async function makePublish(kind: BusKind, hit: () => void): Promise<Publish> {
  const logger = createLogger({ service: 'bench', level: 'silent' });
  switch (kind) {
    case 'emitter': {
      // Baseline: asynchronous delivery (never in publish's stack, like the memory bus), nothing else.
      const emitter = new EventEmitter();
      emitter.on(EVENT, hit);
      return () => setImmediate(() => emitter.emit(EVENT, ENVELOPE));
    }
    case 'emitter-clone': {
      // The same plus the memory bus's isolation: the handler gets its own copy.
      const emitter = new EventEmitter();
      emitter.on(EVENT, hit);
      return () => setImmediate(() => emitter.emit(EVENT, structuredClone(ENVELOPE)));
    }
    case 'memory': {
      const bus = createMemoryBus({ logger });
      await bus.subscribe(EVENT, 'inventory', async () => hit());
      return () => bus.publish(ENVELOPE);
    }
    case 'typed': {
      // What ctx.publish does in a hook: allowed-event check, payload validation, envelope (uuid, time).
      const bus = createMemoryBus({ logger });
      await bus.subscribe(EVENT, 'inventory', async () => hit());
      const publish = createPublisher({ definition: ordersDefinition, events, validators: createValidators(schemas), bus });
      return () => publish(EVENT, PAYLOAD, ENVELOPE.requestId);
    }
    case 'typed-sub': {
      // Both ends as services see them: typed publish, then subscribeAll's validation, logger and context.
      const bus = createMemoryBus({ logger });
      const validators = createValidators(schemas);
      const publish = createPublisher({ definition: ordersDefinition, events, validators, bus });
      await subscribeAll({
        definition: inventoryDefinition,
        subscriptions: { commitReservation: async () => hit() },
        events,
        validators,
        bus,
        contextFor: createContextFactory({
          definition: inventoryDefinition,
          createClients: () => ({}),
          transportFor: () => {
            throw new Error('inventory calls no service');
          },
          publisher: publish,
        }),
        logger,
      });
      return () => publish(EVENT, PAYLOAD, ENVELOPE.requestId);
    }
  }
}

/** In the bus child: serves runs; each kind is set up once and reused across rounds. */
export function runBusWorker(): void {
  let delivered = 0;
  let target = 0;
  let wake = () => {};
  const hit = () => {
    if (++delivered === target) wake();
  };
  const publishers = new Map<BusKind, Publish>();

  const pump = async (publish: Publish, total: number, batch: number, capMs: number) => {
    const start = performance.now();
    const first = delivered;
    let sent = 0;
    while (sent < total && performance.now() - start < capMs) {
      const n = Math.min(batch, total - sent);
      const all = new Promise<void>((resolve) => (wake = resolve));
      target = delivered + n;
      for (let i = 0; i < n; i++) await publish();
      sent += n;
      await all;
    }
    return { delivered: delivered - first, seconds: (performance.now() - start) / 1000 };
  };

  process.on('message', async (msg: BusRun | { type: 'cpu' }) => {
    if (msg.type !== 'bus') return;
    let publish = publishers.get(msg.kind);
    if (!publish) publishers.set(msg.kind, (publish = await makePublish(msg.kind, hit)));
    await pump(publish, msg.warmup, msg.batch, 10_000);
    const before = process.cpuUsage();
    const result = await pump(publish, msg.events, msg.batch, msg.capMs);
    const cpu = process.cpuUsage(before);
    process.send!({ type: 'bus-result', cpuUs: cpu.user + cpu.system, ...result } satisfies BusResult);
  });
  serveCpu(0);
}
