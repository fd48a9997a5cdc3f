// The imports a stub needs, and the `subscriptions` object a newly subscribing service needs.
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { getUser, memoryOptions, mesh, paymentFailed, service, userDeleted } from './model.js';
import { cut } from './spans.js';

const withGetUser = mesh(service('users', [getUser]));

function contentFor(original: string, model = withGetUser, path = 'hooks/users.ts'): string {
  return planHooks(model, memoryOptions({ [path]: original })).writes.find((w) => w.path === path)?.content ?? '';
}

describe('planHooks: imports', () => {
  it('adds NotImplemented to an existing value import of meshspec/runtime', () => {
    const original = "import { MeshError } from 'meshspec/runtime';\nexport const handlers = {};\n";
    const content = contentFor(original);
    expect(content).toContain("import { MeshError, NotImplemented } from 'meshspec/runtime';\n");
    const stub = "\n  // GET /users/{id}: GetUserInput -> User; errors: NotFound\n  async getUser(_input, _ctx) {\n    throw new NotImplemented('users.getUser');\n  },\n";
    expect(cut(cut(content, ', NotImplemented'), stub)).toBe(original);
  });

  it('adds a new import line rather than joining a type-only import', () => {
    const original = "import type { HandlerContext } from 'meshspec/runtime';\nexport const handlers = {};\n";
    const content = contentFor(original);
    expect(content).toContain(
      "import type { HandlerContext } from 'meshspec/runtime';\nimport { NotImplemented } from 'meshspec/runtime';\n",
    );
  });

  it('adds nothing when NotImplemented is already bound, under any module', () => {
    const original = "import { NotImplemented } from '../lib/errors.js';\nexport const handlers = {};\n";
    expect(contentFor(original).match(/import /g)).toHaveLength(1);
  });

  it('puts the first import before the first statement, after leading comments', () => {
    const original = '// no imports yet\nexport const handlers = {};\n';
    expect(contentFor(original).startsWith("// no imports yet\nimport { NotImplemented } from 'meshspec/runtime';\n\nexport const handlers")).toBe(
      true,
    );
  });

  it('touches no import when no stub is added', () => {
    const original = 'export const handlers = { async getUser() { return null as never; } };\n';
    expect(planHooks(withGetUser, memoryOptions({ 'hooks/users.ts': original })).writes).toEqual([]);
  });
});

describe('planHooks: subscriptions', () => {
  const subscribing = mesh(service('orders', [getUser], [userDeleted, paymentFailed]));

  it('appends a `subscriptions` const and adds its type to the handlers type import', () => {
    const original = [
      "import type { OrdersHandlers } from '../generated/orders/handlers.js';",
      "import { NotImplemented } from 'meshspec/runtime';",
      '',
      'export const handlers: OrdersHandlers = {',
      '  async getUser(input) {',
      '    return { id: input.id } as never;',
      '  },',
      '};',
      '',
    ].join('\n');
    const plan = planHooks(subscribing, memoryOptions({ 'hooks/orders.ts': original }));
    const content = plan.writes[0]?.content ?? '';
    const appended = [
      '',
      'export const subscriptions: OrdersSubscriptions = {',
      '  // on user.deleted: UserDeleted',
      '  async cancelOrdersForUser(_payload, _ctx) {',
      "    throw new NotImplemented('orders.cancelOrdersForUser');",
      '  },',
      '',
      '  // on payment.failed: PaymentEvent',
      '  async failOrder(_payload, _ctx) {',
      "    throw new NotImplemented('orders.failOrder');",
      '  },',
      '};',
      '',
    ].join('\n');
    expect(cut(cut(content, appended), ', OrdersSubscriptions')).toBe(original);
    expect(content).toContain('import type { OrdersHandlers, OrdersSubscriptions } from');
    expect(plan.changes).toEqual(['hooks/orders.ts: added `subscriptions` with stubs for `cancelOrdersForUser`, `failOrder`']);
  });

  it('marks the added type `type` when it joins a value import', () => {
    const original = "import { type OrdersHandlers } from '../generated/orders/handlers.js';\nexport const handlers: OrdersHandlers = { async getUser() { return null as never; } };";
    const content = contentFor(original, subscribing, 'hooks/orders.ts');
    expect(content).toContain('import { type OrdersHandlers, type OrdersSubscriptions } from');
    expect(content).toContain('};\n\nexport const subscriptions: OrdersSubscriptions = {\n');
  });

  it('adds a missing handler to an existing `subscriptions` object', () => {
    const original = [
      "import { NotImplemented } from 'meshspec/runtime';",
      'export const handlers = { async getUser() { return null as never; } };',
      'export const subscriptions = {',
      '  async cancelOrdersForUser() {},',
      '} satisfies Record<string, unknown>;',
      '',
    ].join('\n');
    const content = contentFor(original, subscribing, 'hooks/orders.ts');
    const stub = "\n  // on payment.failed: PaymentEvent\n  async failOrder(_payload, _ctx) {\n    throw new NotImplemented('orders.failOrder');\n  },\n";
    expect(cut(content, stub)).toBe(original);
  });

  it('is idempotent after adding `subscriptions`', () => {
    const original = "import type { OrdersHandlers } from '../generated/orders/handlers.js';\nexport const handlers: OrdersHandlers = { async getUser() { return null as never; } }\n";
    const first = contentFor(original, subscribing, 'hooks/orders.ts');
    expect(first).toContain('export const subscriptions');
    // The file uses no semicolons, so the new object ends without one either.
    expect(first.endsWith('  },\n}\n')).toBe(true);
    expect(planHooks(subscribing, memoryOptions({ 'hooks/orders.ts': first }))).toEqual({ writes: [], changes: [], warnings: [] });
  });
});
