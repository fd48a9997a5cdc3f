// What meshspec refuses to do to a hook file, and says instead.
import { describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { archiveUser, call, calling, getUser, guestUser, listUsers, memoryOptions, mesh, service } from './model.js';

const users = mesh(service('users', [getUser, listUsers]));

function planFor(files: Record<string, string>, model = users) {
  return planHooks(model, memoryOptions(files));
}

describe('planHooks: warnings', () => {
  it('warns about a method the spec dropped and keeps its code', () => {
    const original = [
      "import { NotImplemented } from 'meshspec/runtime';",
      'export const handlers = {',
      '  async getUser() { return null as never; },',
      '  async listUsers() { return []; },',
      '  async oldEndpoint() { return 42; },',
      '};',
      '',
    ].join('\n');
    const plan = planFor({ 'hooks/users.ts': original });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual([
      'hooks/users.ts: `handlers.oldEndpoint` is no longer an endpoint in the spec (services/users.yaml); delete it when you are done with it — meshspec never deletes your code',
    ]);
  });

  it('keeps the dropped method when it also adds a stub', () => {
    const original = "export const handlers = {\n  async getUser() { return null as never; },\n  async oldEndpoint() { return 42; },\n};\n";
    const plan = planFor({ 'hooks/users.ts': original });
    expect(plan.writes[0]?.content).toContain('  async oldEndpoint() { return 42; },\n');
    expect(plan.warnings).toHaveLength(1);
    expect(plan.changes).toContain('hooks/users.ts: added stub for endpoint `listUsers`');
  });

  it('warns about event handlers left in `subscriptions` when the service no longer subscribes', () => {
    const original = 'export const handlers = { getUser() {}, listUsers() {} };\nexport const subscriptions = { onGone() {} };\n';
    const plan = planFor({ 'hooks/users.ts': original });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('`subscriptions.onGone` is no longer an event handler in the spec')]);
  });

  it('leaves a file with a syntax error untouched and says where', () => {
    const original = 'export const handlers = {\n  async getUser( {\n};\n';
    const plan = planFor({ 'hooks/users.ts': original });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/^hooks\/users\.ts: meshspec left this file untouched because it has a syntax error at line \d+/);
    expect(plan.warnings[0]).toContain('`export const handlers: UsersHandlers = { ... }`');
  });

  it('leaves a file whose `handlers` is not an object literal untouched', () => {
    const plan = planFor({ 'hooks/users.ts': 'export const handlers = makeHandlers();\n' });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('its exported `handlers` is a call expression, not an object literal')]);
  });

  it('leaves a file without a `handlers` export untouched', () => {
    const plan = planFor({ 'hooks/users.ts': 'const handlers = {};\nexport default handlers;\n' });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('because it has no exported `handlers`')]);
  });

  it('adds nothing to an object with a spread, which may already provide the missing methods', () => {
    const original = 'import { base } from "./base.js";\nexport const handlers = { ...base, getUser() {} };\n';
    const plan = planFor({ 'hooks/users.ts': original });
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('cannot tell whether it provides `listUsers`')]);
  });

  it('still updates `handlers` when `subscriptions` is not an object literal, and says why it skipped it', () => {
    const model = mesh(service('users', [getUser, archiveUser], [{ event: 'user.deleted', handler: 'onDeleted' }]));
    const original = 'export const handlers = { getUser() {} };\nexport const subscriptions = build();\n';
    const plan = planFor({ 'hooks/users.ts': original }, model);
    expect(plan.writes[0]?.content).toContain('async archiveUser(_input, _ctx)');
    expect(plan.writes[0]?.content).not.toContain('onDeleted');
    expect(plan.warnings).toEqual([expect.stringContaining('could not check it for the event handlers `onDeleted`')]);
  });

  it('warns about a hook file whose service left the spec, and ignores other modules of the folder', () => {
    const files = {
      'hooks/users.ts': 'export const handlers = { getUser() {}, listUsers() {} };\n',
      'hooks/old.ts': 'export const handlers = { legacy() {} };\n',
      'hooks/db.ts': 'export const db = {};\n',
      'hooks/lib/helpers.ts': 'export const handlers = {};\n',
    };
    const plan = planFor(files);
    expect(plan.writes).toEqual([]);
    expect(plan.warnings).toEqual(['hooks/old.ts belongs to no service in the spec; meshspec leaves it (delete it when you no longer need it)']);
  });

  describe('fallbacks', () => {
    const callee = service('users', [getUser, listUsers]);
    const usersFile = 'export const handlers = { getUser() {}, listUsers() {} };\n';
    const orders = (...fallbacks: Parameters<typeof call>[1]) => mesh(callee, calling(service('orders', [getUser, archiveUser]), call('users', fallbacks)));
    const planOrders = (original: string, model = orders(guestUser)) => planFor({ 'hooks/orders.ts': original, 'hooks/users.ts': usersFile }, model);

    it('warns about a fallback the spec dropped and keeps it, also when it adds a stub', () => {
      const original = 'export const handlers = { getUser() {} };\nexport const fallbacks = {\n  guestUser() {},\n  async oldFallback() { return 1; },\n};\n';
      const plan = planOrders(original);
      expect(plan.warnings).toEqual([
        'hooks/orders.ts: `fallbacks.oldFallback` is no longer a fallback in the spec (services/orders.yaml); delete it when you are done with it — meshspec never deletes your code',
      ]);
      expect(plan.changes).toContain('hooks/orders.ts: added stub for endpoint `archiveUser`');
      expect(plan.writes[0]?.content).toContain('  async oldFallback() { return 1; },\n');
    });

    it('warns about members of `fallbacks` when the calls name no fallback any more, and adds nothing', () => {
      const original = 'export const handlers = { getUser() {}, archiveUser() {} };\nexport const fallbacks = { guestUser() {} };\n';
      const plan = planOrders(original, orders());
      expect(plan.writes).toEqual([]);
      expect(plan.warnings).toEqual([expect.stringContaining('`fallbacks.guestUser` is no longer a fallback in the spec')]);
    });

    it('still updates `handlers` when `fallbacks` is not an object literal, and says why it skipped it', () => {
      const original = 'export const handlers = { getUser() {} };\nexport const fallbacks = makeFallbacks();\n';
      const plan = planOrders(original);
      expect(plan.writes[0]?.content).toContain('async archiveUser(_input, _ctx)');
      expect(plan.writes[0]?.content).not.toContain('guestUser');
      expect(plan.warnings).toEqual([
        'hooks/orders.ts: its exported `fallbacks` is a call expression, not an object literal, so meshspec could not check it for the fallbacks `guestUser`',
      ]);
    });

    it('writes nothing when a planned fallback stub would not land (a `fallbacks` that is declared but not exported)', () => {
      const original = 'export const handlers = { getUser() {} };\nconst fallbacks = { guestUser() {} };\nvoid fallbacks;\n';
      const plan = planOrders(original);
      expect(plan.writes).toEqual([]);
      expect(plan.changes).toEqual([]);
      expect(plan.warnings).toEqual([
        'hooks/orders.ts: meshspec could not add stubs for `guestUser` without breaking the file, so it left it untouched; add them by hand',
      ]);
    });

    it('names `fallbacks` in what it expects of a file it leaves untouched', () => {
      const plan = planOrders('export const handlers = {\n  async getUser( {\n};\n');
      expect(plan.warnings).toHaveLength(1);
      expect(plan.warnings[0]).toContain(
        'To add stubs for new endpoints, event handlers and fallbacks it expects `export const handlers: OrdersHandlers = { ... }` and `export const fallbacks: OrdersFallbacks = { ... }` (object literals',
      );
      const without = planOrders('export const handlers = makeHandlers();\n', orders()).warnings[0];
      expect(without).toContain('To add stubs for new endpoints and event handlers it expects `export const handlers: OrdersHandlers = { ... }` (object');
    });
  });
});
