import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import {
  call,
  calling,
  createUser,
  endpoint,
  getUser,
  guestUser,
  listUsers,
  memoryOptions,
  mesh,
  noUsers,
  paymentFailed,
  service,
  userDeleted,
} from './model.js';

const users = service('users', [getUser, listUsers]);
const placeOrder = endpoint('placeOrder', 'POST', '/orders');

describe('planHooks: creating hook files', () => {
  it('writes a stub for every endpoint, in the model order, typed against the generated interface', () => {
    const plan = planHooks(mesh(service('users', [createUser, getUser, listUsers])), memoryOptions({}));
    expect(plan.writes).toEqual([{ path: 'hooks/users.ts', content: expect.any(String) }]);
    const content = plan.writes[0]?.content ?? '';
    const body = content.slice(content.indexOf('import'));
    expect(body).toBe(
      [
        "import type { UsersHandlers } from '../generated/users/handlers.js';",
        "import { NotImplemented } from 'meshspec/runtime';",
        '',
        'export const handlers: UsersHandlers = {',
        '  // POST /users: CreateUser -> User; errors: EmailTaken',
        '  async createUser(_input, _ctx) {',
        "    throw new NotImplemented('users.createUser');",
        '  },',
        '',
        '  // GET /users/{id}: GetUserInput -> User; errors: NotFound',
        '  async getUser(_input, _ctx) {',
        "    throw new NotImplemented('users.getUser');",
        '  },',
        '',
        '  // GET /users: ListUsersInput -> User[]',
        '  async listUsers(_input, _ctx) {',
        "    throw new NotImplemented('users.listUsers');",
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    expect(plan.changes).toEqual(['hooks/users.ts: created with stubs for 3 endpoint(s)']);
    expect(plan.warnings).toEqual([]);
  });

  it('opens with a comment saying the file is the user\'s and is only ever extended', () => {
    const [write] = planHooks(mesh(service('users', [getUser])), memoryOptions({})).writes;
    const header = write?.content.slice(0, write.content.indexOf('import')) ?? '';
    expect(header).toMatch(/^\/\/ Hooks of the `users` service/);
    expect(header).toContain('This file is yours');
    expect(header).toContain('created it once and never overwrites it');
    expect(header).toContain('only adds a stub');
  });

  it('adds `subscriptions` and its type when the service subscribes', () => {
    const orders = service('orders', [getUser], [userDeleted, paymentFailed]);
    const content = planHooks(mesh(orders), memoryOptions({})).writes[0]?.content ?? '';
    expect(content).toContain("import type { OrdersHandlers, OrdersSubscriptions } from '../generated/orders/handlers.js';");
    expect(content.slice(content.indexOf('export const subscriptions'))).toBe(
      [
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
      ].join('\n'),
    );
  });

  it('has no `subscriptions` when the service subscribes to nothing', () => {
    const content = planHooks(mesh(service('users', [getUser])), memoryOptions({})).writes[0]?.content ?? '';
    expect(content).not.toContain('subscriptions');
    expect(content).not.toContain('UsersSubscriptions');
  });

  it('puts files under the given hooks folder and imports from the given generated path', () => {
    const options = { ...memoryOptions({}), hooksDir: './src/hooks/', generatedImport: '../../out/' };
    const [write] = planHooks(mesh(service('users', [getUser])), options).writes;
    expect(write?.path).toBe('src/hooks/users.ts');
    expect(write?.content).toContain("from '../../out/users/handlers.js';");
  });

  it('writes an empty `handlers` object for a service without endpoints', () => {
    const content = planHooks(mesh(service('audit', [], [userDeleted])), memoryOptions({})).writes[0]?.content ?? '';
    expect(content).toContain('export const handlers: AuditHandlers = {};\n');
  });

  it('creates nothing for a service whose hook file exists', () => {
    const options = memoryOptions({ 'hooks/users.ts': planHooks(mesh(service('users', [getUser])), memoryOptions({})).writes[0]?.content ?? '' });
    expect(planHooks(mesh(service('users', [getUser])), options)).toEqual({ writes: [], changes: [], warnings: [] });
  });

  it('adds `fallbacks` after `subscriptions`, a stub per fallback commented with the callee endpoint\'s types', () => {
    const orders = calling(service('orders', [placeOrder], [userDeleted]), call('users', [noUsers, guestUser]));
    const plan = planHooks(mesh(users, orders), memoryOptions({}));
    const content = plan.writes.find((w) => w.path === 'hooks/orders.ts')?.content ?? '';
    expect(content).toMatch(/^\/\/ Hooks of the `orders` service: the code behind its endpoints, events and call fallbacks\.\n/);
    expect(content).toContain("import type { OrdersHandlers, OrdersSubscriptions, OrdersFallbacks } from '../generated/orders/handlers.js';");
    expect(content).toMatch(/\nexport const subscriptions: OrdersSubscriptions = \{\n[^]*\n\};\n\nexport const fallbacks/);
    expect(content.slice(content.indexOf('export const fallbacks'))).toBe(
      [
        'export const fallbacks: OrdersFallbacks = {',
        '  // when users.getUser fails: GetUserInput -> User',
        '  async guestUser(_input, _failure) {',
        "    throw new NotImplemented('orders.guestUser');",
        '  },',
        '',
        '  // when users.listUsers fails: ListUsersInput -> User[]',
        '  async noUsers(_input, _failure) {',
        "    throw new NotImplemented('orders.noUsers');",
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    expect(plan.changes).toContain('hooks/orders.ts: created with stubs for 1 endpoint(s), 1 event handler(s) and 2 fallback(s)');
  });

  it('adds `fallbacks` without `subscriptions` for a service that calls but does not subscribe', () => {
    const orders = calling(service('orders', [placeOrder]), call('users', [guestUser]));
    const plan = planHooks(mesh(users, orders), memoryOptions({}));
    const content = plan.writes.find((w) => w.path === 'hooks/orders.ts')?.content ?? '';
    expect(content).toContain("import type { OrdersHandlers, OrdersFallbacks } from '../generated/orders/handlers.js';");
    expect(content).not.toContain('subscriptions');
    expect(content).toContain('\n};\n\nexport const fallbacks: OrdersFallbacks = {\n  // when users.getUser fails');
    expect(plan.changes).toContain('hooks/orders.ts: created with stubs for 1 endpoint(s) and 1 fallback(s)');
  });

  it('has no `fallbacks` when the service\'s calls name none', () => {
    const orders = calling(service('orders', [placeOrder]), call('users', []));
    const content = planHooks(mesh(users, orders), memoryOptions({})).writes.find((w) => w.path === 'hooks/orders.ts')?.content ?? '';
    expect(content).not.toContain('allbacks');
  });

  it('names only the call in the comment when the model does not hold the callee\'s endpoint', () => {
    const orders = calling(service('orders', [placeOrder]), call('payments', [{ endpoint: 'charge', handler: 'chargeLater' }]));
    const content = planHooks(mesh(orders), memoryOptions({})).writes[0]?.content ?? '';
    expect(content).toContain('  // when payments.charge fails\n  async chargeLater(_input, _failure) {\n');
  });
});
