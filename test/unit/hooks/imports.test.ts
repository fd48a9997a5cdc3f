// The imports a stub needs, and the `subscriptions` and `fallbacks` objects a service needs once it
// subscribes or names call fallbacks.
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { call, calling, getUser, guestUser, listUsers, memoryOptions, mesh, noUsers, paymentFailed, service, userDeleted } from './model.js';
import { cut } from './spans.js';

const withGetUser = mesh(service('users', [getUser]));

/** An `orders` hook file with `handlers` and nothing else, in meshspec's style. */
const ordersHandlersOnly = [
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
    const original = ordersHandlersOnly;
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

describe('planHooks: fallbacks', () => {
  const users = service('users', [getUser, listUsers]);
  const withFallbacks = (...fallbacks: Parameters<typeof call>[1]) =>
    mesh(users, calling(service('orders', [getUser]), call('users', fallbacks)));
  const both = mesh(users, calling(service('orders', [getUser]), call('users', [guestUser, noUsers])));
  const fallbackStub = (name: string, endpoint: string, types: string, indent = '  ', eol = '\n', quote = "'") =>
    `${indent}// when users.${endpoint} fails: ${types}${eol}` +
    `${indent}async ${name}(_input, _failure) {${eol}` +
    `${indent}${indent}throw new NotImplemented(${quote}orders.${name}${quote});${eol}` +
    `${indent}},${eol}`;
  const guestStub = (indent?: string, eol?: string, quote?: string) => fallbackStub('guestUser', 'getUser', 'GetUserInput -> User', indent, eol, quote);
  const noUsersStub = (indent?: string, eol?: string, quote?: string) => fallbackStub('noUsers', 'listUsers', 'ListUsersInput -> User[]', indent, eol, quote);

  // The callee's hook file is there and complete, so only the caller's shows in a plan.
  const files = (orders: string) => memoryOptions({ 'hooks/orders.ts': orders, 'hooks/users.ts': 'export const handlers = { getUser() {}, listUsers() {} };\n' });

  function planOrders(original: string, model = both) {
    const plan = planHooks(model, files(original));
    return { plan, content: plan.writes.find((w) => w.path === 'hooks/orders.ts')?.content ?? '' };
  }

  it('appends a `fallbacks` const and adds its type to the handlers type import', () => {
    const { plan, content } = planOrders(ordersHandlersOnly);
    const appended = `\nexport const fallbacks: OrdersFallbacks = {\n${guestStub()}\n${noUsersStub()}};\n`;
    expect(cut(cut(content, appended), ', OrdersFallbacks')).toBe(ordersHandlersOnly);
    expect(content).toContain('import type { OrdersHandlers, OrdersFallbacks } from');
    expect(plan.changes).toEqual(['hooks/orders.ts: added `fallbacks` with stubs for `guestUser`, `noUsers`']);
    expect(plan.warnings).toEqual([]);
  });

  it('appends `fallbacks` in a CRLF, tab-indented file\'s style', () => {
    const original = [
      'import type { OrdersHandlers } from "../generated/orders/handlers.js";',
      '',
      'export const handlers: OrdersHandlers = {',
      '\tasync getUser(input) {',
      '\t\treturn { id: input.id } as never;',
      '\t},',
      '};',
      '',
    ].join('\r\n');
    const { content } = planOrders(original, withFallbacks(guestUser));
    const appended = `\r\nexport const fallbacks: OrdersFallbacks = {\r\n${guestStub('\t', '\r\n', '"')}};\r\n`;
    const withoutObject = cut(content, appended);
    expect(cut(cut(withoutObject, ', OrdersFallbacks'), '\r\nimport { NotImplemented } from "meshspec/runtime";')).toBe(original);
    expect(content.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('appends `fallbacks` in a 4-space file without semicolons, after a last line with no line break', () => {
    const original = [
      "import type { OrdersHandlers } from '../generated/orders/handlers.js'",
      "import { NotImplemented } from 'meshspec/runtime'",
      '',
      'export const handlers: OrdersHandlers = {',
      '    async getUser(input) {',
      '        return { id: input.id } as never',
      '    },',
      '}',
    ].join('\n');
    const { content } = planOrders(original, withFallbacks(guestUser));
    const appended = `\n\nexport const fallbacks: OrdersFallbacks = {\n${guestStub('    ')}}\n`;
    expect(cut(cut(content, appended), ', OrdersFallbacks')).toBe(original);
  });

  it('appends `subscriptions` and `fallbacks` together: one type import, a blank line before each', () => {
    const model = mesh(users, calling(service('orders', [getUser], [userDeleted]), call('users', [guestUser])));
    for (const ending of ['\n', '\n\n', '']) {
      const original = ordersHandlersOnly.trimEnd() + ending;
      const { plan, content } = planOrders(original, model);
      expect(content).toContain('import type { OrdersHandlers, OrdersSubscriptions, OrdersFallbacks } from');
      const appended = content.slice(original.length + ', OrdersSubscriptions, OrdersFallbacks'.length);
      expect(appended).toMatch(/^\n*export const subscriptions: OrdersSubscriptions = \{\n[^]*\n\};\n\nexport const fallbacks: OrdersFallbacks = \{\n/);
      expect(content).toMatch(/\n\};\n\nexport const subscriptions/);
      expect(content).not.toMatch(/\n\n\n/);
      expect(plan.changes).toEqual([
        'hooks/orders.ts: added `subscriptions` with stubs for `cancelOrdersForUser`',
        'hooks/orders.ts: added `fallbacks` with stubs for `guestUser`',
      ]);
    }
  });

  it('adds a missing fallback to an existing `fallbacks` object', () => {
    const original = [
      "import { NotImplemented } from 'meshspec/runtime';",
      'export const handlers = { async getUser() { return null as never; } };',
      'export const fallbacks = {',
      '  async guestUser() { return { id: "guest" } as never; },',
      '};',
      '',
    ].join('\n');
    const { plan, content } = planOrders(original);
    expect(cut(content, `\n${noUsersStub()}`)).toBe(original);
    expect(plan.changes).toEqual(['hooks/orders.ts: added stub for fallback `noUsers`']);
  });

  it('is idempotent after adding `fallbacks` and after adding a fallback to it', () => {
    const first = planOrders(ordersHandlersOnly).content;
    expect(first).toContain('export const fallbacks');
    expect(planHooks(both, files(first))).toEqual({ writes: [], changes: [], warnings: [] });
    const grown = planOrders(planOrders(ordersHandlersOnly, withFallbacks(guestUser)).content).content;
    expect(grown).toContain('async noUsers(_input, _failure)');
    expect(planHooks(both, files(grown))).toEqual({ writes: [], changes: [], warnings: [] });
  });
});
