// A started service takes an accepted older event version through the `upgrades` its host options
// carry (generated host.ts wires the hook file's), and refuses to start without them.
import { describe, expect, it } from 'vitest';
import { createMemoryBus, startService, type EventCatalog, type SchemaRegistry } from '../../support/runtime.js';
import { captureLogger, schemas, testSettings, usersDefinition, usersHost } from './fixtures.js';

// user.created at v2 (UserCreated, with email) still accepts v1, whose payload had no email.
const rolloutSchemas: SchemaRegistry = {
  ...schemas,
  $defs: { ...schemas.$defs, UserCreatedV1: { type: 'object', additionalProperties: false, required: ['userId'], properties: { userId: { type: 'integer' } } } },
};
const events: EventCatalog = { 'user.created': { payload: 'UserCreated', version: 2, accepts: { 1: 'UserCreatedV1' } } };
const definition = { ...usersDefinition, subscriptions: [{ event: 'user.created', handler: 'welcome', upgrades: { 1: 'userCreatedFromV1' } }] };

describe('a service in an event version rollout', () => {
  it('hands its hook a v1 event upgraded by its upgrade hook', async () => {
    const { logger } = captureLogger('users');
    const bus = createMemoryBus({ logger, retryDelayMs: 1 });
    const seen: unknown[] = [];
    const service = await startService(
      usersHost({
        definition,
        schemas: rolloutSchemas,
        events,
        subscriptions: { welcome: async (payload: unknown) => void seen.push(payload) },
        upgrades: { userCreatedFromV1: async (payload: { userId: number }) => ({ ...payload, email: `user-${payload.userId}@example.com` }) },
      }),
      testSettings(logger, { bus }),
    );
    await bus.publish({ id: 'e1', event: 'user.created', version: 1, source: 'signup', time: new Date().toISOString(), payload: { userId: 7 } });
    await bus.idle();
    await service.close();
    expect(seen).toEqual([{ userId: 7, email: 'user-7@example.com' }]);
    expect(bus.deadLetters).toEqual([]);
  });

  it('fails before listening when an upgrade hook is missing', async () => {
    const { logger } = captureLogger('users');
    const start = startService(usersHost({ definition, schemas: rolloutSchemas, events, subscriptions: { welcome: async () => {} } }), testSettings(logger));
    await expect(start).rejects.toThrow("users cannot subscribe: no upgrade hook 'userCreatedFromV1' for version 1 of 'user.created' (export it in the service's upgrades)");
  });
});
