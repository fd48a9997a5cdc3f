import { describe, expect, it } from 'vitest';
import { emitted } from './fixture.js';

describe('<svc>/host.ts', () => {
  const orders = emitted('orders/host.ts');
  const users = emitted('users/host.ts');

  it('imports the hooks relative to the service folder', () => {
    expect(orders).toContain("import { handlers, subscriptions } from '../../hooks/orders.js';\n");
    expect(users).toContain("import { handlers } from '../../hooks/users.js';\n");
    expect(emitted('users/host.ts', undefined, { outDir: 'generated', hooksDir: 'src/hooks' })).toContain("from '../../src/hooks/users.js';\n");
    expect(emitted('users/host.ts', undefined, { outDir: 'build/gen', hooksDir: 'app/hooks' })).toContain("from '../../../app/hooks/users.js';\n");
    expect(emitted('users/host.ts', undefined, { outDir: 'generated', hooksDir: '' })).toContain("from '../../users.js';\n");
  });

  it('checks the hooks against the generated interfaces', () => {
    expect(orders).toContain('    handlers: handlers satisfies OrdersHandlers,\n');
    expect(orders).toContain('    subscriptions: subscriptions satisfies OrdersSubscriptions,\n');
    expect(users).not.toContain('subscriptions');
  });

  it('assembles definition, schemas, events, callees and a clients factory', () => {
    expect(orders).toContain('export function ordersHost(): ServiceHostOptions {\n');
    expect(orders).toContain('    definition: ordersDefinition,\n    handlers:');
    expect(orders).toContain('    schemas,\n    events,\n');
    expect(orders).toContain('    callees: { users: usersDefinition },\n');
    expect(orders).toContain(
      '    createClients: (transportFor, call): OrdersClients => ({\n' +
        "      users: createUsersClient(transportFor('users', 'grpc'), call),\n" +
        '    }),\n',
    );
    expect(orders).toContain("import { createUsersClient } from '../users/client.js';\n");
    expect(orders).toContain("import { usersDefinition } from '../users/definition.js';\n");
  });

  it('has an empty factory and no callees when the service calls nobody', () => {
    expect(users).toContain('    callees: {},\n');
    expect(users).toContain('    createClients: (): UsersClients => ({}),\n');
  });
});
