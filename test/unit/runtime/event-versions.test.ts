// Event versions during a rollout: an envelope is read with the schema of its own version, an
// accepted older one is upgraded by the subscriber's hook, any other version is dead-lettered at once.
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  createMemoryBus,
  createPublisher,
  createValidators,
  currentPayload,
  subscribeAll,
  takenVersions,
  UnprocessableEvent,
  type EventCatalog,
  type EventEnvelope,
  type SchemaRegistry,
  type ServiceDefinition,
  type UpgradeFunction,
} from '../../support/runtime.js';
import { eventsOnlyContext } from '../../support/event-context.js';

const record = (required: string[], properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, required, properties });
const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/versions',
  $defs: {
    OrderCreated: record(['orderId', 'amount'], { orderId: { type: 'string' }, amount: { type: 'number' } }),
    OrderCreatedV2: record(['orderId', 'amount', 'currency'], { orderId: { type: 'string' }, amount: { type: 'number' }, currency: { type: 'string', minLength: 3 } }),
  },
};
const rollout: EventCatalog = { 'order.created': { payload: 'OrderCreatedV2', version: 2, accepts: { 1: 'OrderCreated' } } };
const retired: EventCatalog = { 'order.created': { payload: 'OrderCreatedV2', version: 2 } };
const validators = createValidators(schemas);
const logger = createLogger({ service: 'test', level: 'silent' });

const v1 = { orderId: 'o1', amount: 12 };
const v2 = { orderId: 'o2', amount: 30, currency: 'EUR' };
const envelope = (version: number, payload: unknown, id = `e-${version}`): EventEnvelope => ({ id, event: 'order.created', version, source: 'orders', time: '2026-12-03T00:00:00.000Z', payload });
// What the subscriber writes: the old payload had no currency, and every old order was in euros.
const toV2: UpgradeFunction = async (payload) => ({ ...(payload as object), currency: 'EUR' });

describe('currentPayload', () => {
  const read = (env: EventEnvelope, catalog: EventCatalog, upgrade: UpgradeFunction | undefined = toV2) =>
    currentPayload(env, { service: 'mailer', entry: catalog['order.created']!, validators, upgrade: (v) => (v === 1 ? upgrade : undefined) });

  it('gives the current version as it came, and upgrades an accepted older one', async () => {
    await expect(read(envelope(2, v2), rollout)).resolves.toEqual(v2);
    await expect(read(envelope(1, v1), rollout)).resolves.toEqual({ orderId: 'o1', amount: 12, currency: 'EUR' });
  });

  it('checks each payload against the schema of its own version', async () => {
    // A v2 payload sent as v1 has a key the v1 schema does not know; a v1 payload sent as v2 lacks currency.
    await expect(read(envelope(1, v2), rollout)).rejects.toThrow("invalid 'order.created' version 1 payload from orders: /currency unknown property");
    await expect(read(envelope(2, v1), rollout)).rejects.toThrow(/invalid 'order.created' payload from orders: .*currency/);
  });

  it('refuses a retired version and a version from the future as unprocessable, saying what to do', async () => {
    const old = read(envelope(1, v1), retired);
    await expect(old).rejects.toBeInstanceOf(UnprocessableEvent);
    await expect(old).rejects.toThrow(
      "'order.created' version 1 from orders is not taken by mailer, which takes only version 2 (current): version 1 is retired; to handle it, list it again in the event's `accepts` with its payload, then replay the dead letter",
    );
    await expect(read(envelope(3, v2), rollout)).rejects.toThrow(
      "'order.created' version 3 from orders is not taken by mailer, which takes versions 2 (current) and 1: it is newer than mailer's spec; deploy mailer generated from the spec that declares it, then replay the dead letter",
    );
    await expect(read({ ...envelope(1, v1), version: '1' as unknown as number }, rollout)).rejects.toThrow('version "1" (not a number)');
  });

  it('refuses an upgrade that returns an invalid payload, and lets an error the upgrade throws be retried', async () => {
    const lossy = read(envelope(1, v1), rollout, async (p) => ({ ...(p as object), currency: '' }));
    await expect(lossy).rejects.toBeInstanceOf(UnprocessableEvent);
    await expect(lossy).rejects.toThrow("the upgrade of 'order.created' version 1 to 2 in mailer returned an invalid OrderCreatedV2: /currency must NOT have fewer than 3 characters");
    const failing = read(envelope(1, v1), rollout, async () => {
      throw new Error('rates service down');
    });
    await expect(failing).rejects.toThrow('rates service down');
    await expect(failing).rejects.not.toBeInstanceOf(UnprocessableEvent);
  });

  it('refuses an accepted older version where no upgrade hook is named (a saga owner, a compensation)', async () => {
    const reading = { service: "payments's compensations", entry: rollout['order.created']!, validators, upgrade: () => undefined };
    await expect(currentPayload(envelope(2, v2), reading)).resolves.toEqual(v2);
    const old = currentPayload(envelope(1, v1), reading);
    await expect(old).rejects.toBeInstanceOf(UnprocessableEvent);
    await expect(old).rejects.toThrow("payments's compensations has no upgrade hook for 'order.created' version 1");
  });

  it('names the versions taken', () => {
    expect(takenVersions({ payload: 'X', version: 3, accepts: { 1: 'A', 2: 'B' } })).toBe('versions 3 (current), 2 and 1');
  });
});

describe('subscribeAll with a rollout', () => {
  const base: ServiceDefinition = { mesh: 'test', name: 'orders', version: '1.0.0', ports: { http: 0, grpc: null }, endpoints: [], subscriptions: [], publishes: ['order.created'], calls: [], proto: null };
  const mailer = (upgrades?: Record<number, string>): ServiceDefinition => ({
    ...base,
    name: 'mailer',
    publishes: [],
    subscriptions: [{ event: 'order.created', handler: 'confirm', ...(upgrades ? { upgrades } : {}) }],
  });

  async function subscribe(catalog: EventCatalog, definition: ServiceDefinition, upgrades?: object) {
    const bus = createMemoryBus({ logger, retryDelayMs: 1 });
    const contextFor = eventsOnlyContext({ definition, events: catalog, validators, bus });
    const seen: { payload: unknown; version: number }[] = [];
    const hooks = {
      async confirm(payload: unknown, ctx: { event: { version: number } }) {
        seen.push({ payload, version: ctx.event.version });
      },
    };
    const subs = await subscribeAll({ definition, subscriptions: hooks, upgrades, events: catalog, validators, bus, contextFor, logger });
    return { bus, seen, subs, publish: createPublisher({ definition: base, events: catalog, validators, bus }) };
  }

  it('publishes the current version, hands the hook v1 upgraded and v2 as is, and dead-letters a version it does not take at once', async () => {
    const upgrades = { orderCreatedFromV1: (payload: unknown) => toV2(payload) };
    const { bus, seen, subs, publish } = await subscribe(rollout, mailer({ 1: 'orderCreatedFromV1' }), upgrades);
    await publish('order.created', v2);
    await bus.publish(envelope(1, v1));
    await bus.publish(envelope(3, v2));
    await bus.idle();
    expect(seen).toEqual([
      { payload: v2, version: 2 },
      { payload: { ...v1, currency: 'EUR' }, version: 1 },
    ]);
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.deadLetters[0]?.attempts).toBe(1);
    expect(String(bus.deadLetters[0]?.error)).toContain("'order.created' version 3 from orders is not taken by mailer");
    await subs.close();
    await bus.close();
  });

  it('dead-letters v1 once it is retired', async () => {
    const { bus, seen, subs } = await subscribe(retired, mailer());
    await bus.publish(envelope(1, v1));
    await bus.idle();
    expect(seen).toEqual([]);
    expect(bus.deadLetters).toHaveLength(1);
    expect(String(bus.deadLetters[0]?.error)).toContain('version 1 is retired');
    await subs.close();
    await bus.close();
  });

  it('fails fast when an upgrade hook the definition names is missing', async () => {
    await expect(subscribe(rollout, mailer({ 1: 'orderCreatedFromV1' }), {})).rejects.toThrow(
      "mailer cannot subscribe: no upgrade hook 'orderCreatedFromV1' for version 1 of 'order.created' (export it in the service's upgrades)",
    );
  });
});
