// Typed publishing and subscribing on top of the memory bus.
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  createMemoryBus,
  createPublisher,
  createValidators,
  PublishError,
  subscribeAll,
  type EventCatalog,
  type SchemaRegistry,
  type ServiceDefinition,
} from '../../support/runtime.js';
import { eventsOnlyContext } from '../../support/event-context.js';

const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/events',
  $defs: {
    UserCreated: {
      type: 'object',
      additionalProperties: false,
      required: ['userId', 'email'],
      properties: { userId: { type: 'string' }, email: { type: 'string', format: 'email' } },
    },
  },
};
const events: EventCatalog = {
  'user.created': { payload: 'UserCreated', version: 2 },
  'user.deleted': { payload: 'UserCreated', version: 1 },
};
const base: ServiceDefinition = {
  mesh: 'test',
  name: 'users',
  version: '1.0.0',
  ports: { http: 0, grpc: null },
  endpoints: [],
  subscriptions: [],
  publishes: ['user.created'],
  calls: [],
  proto: null,
};
const mail: ServiceDefinition = { ...base, name: 'mail', publishes: [], subscriptions: [{ event: 'user.created', handler: 'welcome' }] };
const logger = createLogger({ service: 'test', level: 'silent' });
const validators = createValidators(schemas);

function setup() {
  const bus = createMemoryBus({ logger, retryDelayMs: 1 });
  const publish = createPublisher({ definition: base, events, validators, bus });
  const contextFor = eventsOnlyContext({ definition: mail, events, validators, bus });
  return { bus, publish, contextFor };
}

describe('createPublisher', () => {
  it('wraps the payload in an envelope with id, version, source and request id', async () => {
    const { bus, publish } = setup();
    const received: unknown[] = [];
    await bus.subscribe('user.created', 'spy', async (e) => void received.push(e));
    await publish('user.created', { userId: 'u1', email: 'a@example.com' }, 'req-1');
    await bus.idle();
    expect(received).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event: 'user.created',
        version: 2,
        source: 'users',
        time: expect.any(String),
        requestId: 'req-1',
        payload: { userId: 'u1', email: 'a@example.com' },
      },
    ]);
    await bus.close();
  });

  it('refuses an invalid payload before it reaches the bus', async () => {
    const { bus, publish } = setup();
    const received: unknown[] = [];
    await bus.subscribe('user.created', 'spy', async (e) => void received.push(e));
    const attempt = publish('user.created', { userId: 'u1', email: 'nope' });
    await expect(attempt).rejects.toBeInstanceOf(PublishError);
    await expect(attempt).rejects.toThrow(`users tried to publish an invalid 'user.created' (UserCreated): /email must match format "email"`);
    await bus.idle();
    expect(received).toEqual([]);
    await bus.close();
  });

  it('refuses events the service does not publish, naming the allowed ones', async () => {
    const { bus, publish } = setup();
    await expect(publish('user.deleted', { userId: 'u1', email: 'a@example.com' })).rejects.toThrow(
      "users may not publish 'user.deleted': the events it may publish are user.created",
    );
    await bus.close();
  });
});

describe('subscribeAll', () => {
  it('calls the hook with the payload and an event context', async () => {
    const { bus, publish, contextFor } = setup();
    const calls: { payload: unknown; ctx: Record<string, unknown> }[] = [];
    const hooks = {
      async welcome(payload: unknown, ctx: Record<string, unknown>) {
        calls.push({ payload, ctx });
      },
    };
    const subs = await subscribeAll({ definition: mail, subscriptions: hooks, events, validators, bus, contextFor, logger });
    await publish('user.created', { userId: 'u1', email: 'a@example.com' }, 'req-9');
    await bus.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.payload).toEqual({ userId: 'u1', email: 'a@example.com' });
    expect(calls[0]?.ctx).toMatchObject({
      service: 'mail',
      operation: 'welcome',
      requestId: 'req-9',
      caller: { subject: 'service:users', service: 'users' },
      deadline: null,
    });
    await subs.close();
    await bus.close();
  });

  it('dead-letters an invalid incoming payload without calling the hook or retrying', async () => {
    const { bus, contextFor } = setup();
    let called = 0;
    const subs = await subscribeAll({
      definition: mail,
      subscriptions: { welcome: async () => void called++ },
      events,
      validators,
      bus,
      contextFor,
      logger,
    });
    // Straight onto the bus, as a misbehaving publisher elsewhere would.
    await bus.publish({ id: 'e1', event: 'user.created', version: 2, source: 'rogue', time: '', payload: { userId: 1 } });
    await bus.idle();
    expect(called).toBe(0);
    expect(bus.deadLetters).toHaveLength(1);
    expect(String(bus.deadLetters[0]?.error)).toContain("invalid 'user.created' payload from rogue");
    expect(bus.deadLetters[0]?.attempts).toBe(1);
    await subs.close();
    await bus.close();
  });

  it('gives the hook the event and ctx.once, which runs an effect once across redeliveries of that event', async () => {
    const { bus, publish, contextFor } = setup();
    let effects = 0;
    let deliveries = 0;
    const seen: unknown[] = [];
    const hooks = {
      async welcome(_payload: unknown, ctx: { event: unknown; once<T>(effect: () => Promise<T>, options?: { step?: string }): Promise<T> }) {
        deliveries++;
        seen.push(ctx.event);
        const receipt = await ctx.once(async () => ({ mailed: ++effects }));
        expect(receipt).toEqual({ mailed: 1 });
        // A second effect of the same handler and event is its own step.
        await ctx.once(async () => undefined, { step: 'audit' });
        // Fails after the effect, as a lost acknowledgement would: the bus delivers the event again.
        if (deliveries === 1) throw new Error('ack lost');
      },
    };
    const subs = await subscribeAll({ definition: mail, subscriptions: hooks, events, validators, bus, contextFor, logger });
    await publish('user.created', { userId: 'u1', email: 'a@example.com' });
    await bus.idle();
    expect(deliveries).toBe(2);
    expect(effects).toBe(1);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toMatchObject({ name: 'user.created', version: 2, source: 'users', id: expect.any(String), time: expect.any(String) });
    expect(bus.deadLetters).toEqual([]);
    await subs.close();
    await bus.close();
  });

  it('fails fast when a hook is missing', async () => {
    const { bus, contextFor } = setup();
    await expect(subscribeAll({ definition: mail, subscriptions: {}, events, validators, bus, contextFor, logger })).rejects.toThrow(
      "mail cannot subscribe: no hook 'welcome' for event 'user.created'",
    );
    await bus.close();
  });
});
