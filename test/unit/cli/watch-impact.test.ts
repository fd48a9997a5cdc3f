// What `meshspec dev --watch` restarts for a change: planReload on the example's definitions with one
// edit each, the services a changed file belongs to, and the editor files the watcher ignores.
import { describe, expect, it } from 'vitest';
import { gatewayConfig } from '../../../generated/gateway/routes.js';
import { ordersDefinition } from '../../../generated/orders/definition.js';
import { paymentsDefinition } from '../../../generated/payments/definition.js';
import { usersDefinition } from '../../../generated/users/definition.js';
import { schemas } from '../../../generated/schemas.js';
import { events } from '../../../generated/events.js';
import { describeEndpoints, planReload, type StackShape } from '../../../generator/cli/watch/impact.js';
import { touchedServices } from '../../../generator/cli/watch/touched.js';
import { isEditorTemporary } from '../../../generator/cli/watch/watcher.js';
import type { ServiceDefinition } from '../../../runtime/service/definition.js';

const example: StackShape = {
  definitions: new Map<string, ServiceDefinition>([
    ['orders', ordersDefinition],
    ['payments', paymentsDefinition],
    ['users', usersDefinition],
  ]),
  schemas: schemas.$defs,
  events,
  gateway: gatewayConfig,
};

/** The example with orders' definition (and schemas, events, gateway) changed by `edit`. */
function edited(edit: Partial<StackShape> & { orders?: Partial<ServiceDefinition> }): StackShape {
  const definitions = new Map(example.definitions);
  if (edit.orders) definitions.set('orders', { ...ordersDefinition, ...edit.orders });
  return { ...example, ...edit, definitions };
}

const countOrders = { ...ordersDefinition.endpoints[0]!, name: 'countOrders', path: '/orders/count' };
const none = new Set<string>();

describe('planReload', () => {
  it('restarts nothing when nothing changed', () => {
    expect(planReload(example, example, none)).toEqual({ restart: [], stop: [], gateway: null });
  });

  it('restarts the services whose files changed, and only those', () => {
    expect(planReload(example, example, new Set(['users']))).toEqual({ restart: ['users'], stop: [], gateway: null });
  });

  it('restarts orders alone for an added endpoint: payments, its caller, runs as before', () => {
    const after = edited({ orders: { endpoints: [...ordersDefinition.endpoints, countOrders] }, schemas: { ...schemas.$defs, 'orders.OrderCount': { type: 'object' } } });
    expect(planReload(example, after, none).restart).toEqual(['orders']);
  });

  it('restarts the callers of a service whose existing endpoint changed', () => {
    const [first, ...rest] = ordersDefinition.endpoints;
    const after = edited({ orders: { endpoints: [{ ...first!, path: '/orders/{id}/cancellation' }, ...rest] } });
    expect(planReload(example, after, none).restart).toEqual(['orders', 'payments']);
  });

  it('restarts the services of a changed schema: its own service for a prefixed type, every one for a shared type', () => {
    const own = { ...schemas.$defs, 'users.User': { type: 'object' } };
    expect(planReload(example, { ...example, schemas: own }, none).restart).toEqual(['users']);
    const shared = { ...schemas.$defs, OrderEvent: { type: 'object' } };
    expect(planReload(example, { ...example, schemas: shared }, none).restart).toEqual(['orders', 'payments', 'users']);
  });

  it('restarts every service when an event changed, and stops a removed service', () => {
    expect(planReload(example, { ...example, events: { ...events, 'order.created': { payload: 'OrderEvent', version: 2 } } }, none).restart).toEqual(['orders', 'payments', 'users']);
    const withoutUsers = new Map(example.definitions);
    withoutUsers.delete('users');
    expect(planReload(example, { ...example, definitions: withoutUsers }, none)).toMatchObject({ restart: [], stop: ['users'] });
  });

  it('replaces the gateway for changed routes, or for its OpenAPI document alone', () => {
    const routes = { ...gatewayConfig, routes: gatewayConfig.routes.slice(1) };
    expect(planReload(example, { ...example, gateway: routes }, none).gateway).toBe('routes');
    const openapi = { ...gatewayConfig, openapi: { openapi: '3.1.0' } };
    expect(planReload(example, { ...example, gateway: openapi }, none).gateway).toBe('openapi');
  });
});

describe('describeEndpoints', () => {
  it('counts the endpoints added, removed and changed', () => {
    const after = { ...ordersDefinition, endpoints: [...ordersDefinition.endpoints.slice(1), countOrders] };
    expect(describeEndpoints(ordersDefinition, after)).toEqual(['1 endpoint added', '1 endpoint removed']);
    expect(describeEndpoints(ordersDefinition, ordersDefinition)).toEqual([]);
  });
});

describe('touchedServices', () => {
  const layout = { outDir: 'generated', hooksDir: 'hooks' };
  const services = ['orders', 'users'];

  it('maps generated folders, hook files, hook folders and migrations to their service', () => {
    expect(touchedServices(['generated/orders/host.ts'], services, layout)).toEqual(new Set(['orders']));
    expect(touchedServices(['hooks/users.ts', 'hooks/migrations/orders/0002_more.sql'], services, layout)).toEqual(new Set(['users', 'orders']));
    expect(touchedServices(['hooks/orders/pricing.ts'], services, layout)).toEqual(new Set(['orders']));
  });

  it('ignores the shared generated files and the others, and gives a hook module of no service to every service', () => {
    expect(touchedServices(['generated/schemas.ts', 'generated/openapi/orders.openapi.yaml', 'hooks/README.md'], services, layout)).toEqual(new Set());
    expect(touchedServices(['hooks/money.ts'], services, layout)).toEqual(new Set(services));
  });
});

describe('isEditorTemporary', () => {
  it('ignores swap, backup and hidden files, not the spec and hooks', () => {
    for (const name of ['.orders.yaml.swp', 'orders.yaml~', '#orders.yaml#', '4913', 'orders.ts___jb_tmp___', '.orders.ts.abc.tmp', 'orders.yaml.crswap']) {
      expect(isEditorTemporary(`/p/spec/${name}`), name).toBe(true);
    }
    for (const name of ['orders.yaml', 'orders.ts', '0001_init.sql']) expect(isEditorTemporary(`/p/spec/${name}`), name).toBe(false);
  });
});
