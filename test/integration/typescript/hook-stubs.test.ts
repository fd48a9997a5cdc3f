// The stubs must compile, under a consumer's strictest settings (unused parameters included),
// against generated-like handler interfaces: typed parameters come from the `handlers: UsersHandlers`
// annotation alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { repoRoot } from '../../support/project.js';
import { typecheckAsConsumer } from '../../support/typecheck.js';
import {
  archiveUser,
  call,
  calling,
  createUser,
  getUser,
  guestUser,
  listUsers,
  memoryOptions,
  mesh,
  noUsers,
  service,
  userDeleted,
} from '../../unit/hooks/model.js';

mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(repoRoot, '.tmp', 'hooks-typecheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const generatedHandlers = `
export interface User { id: string; email: string }
export interface CreateUser { email: string }
export interface GetUserInput { id: string }
export interface ListUsersInput {}
export interface ArchiveUserInput { id: string }
export interface UserDeleted { userId: string }
export interface UsersContext { readonly requestId: string }
export interface UsersHandlers {
  createUser(input: CreateUser, ctx: UsersContext): Promise<User>;
  getUser(input: GetUserInput, ctx: UsersContext): Promise<User>;
  listUsers(input: ListUsersInput, ctx: UsersContext): Promise<User[]>;
  archiveUser(input: ArchiveUserInput, ctx: UsersContext): Promise<void>;
}
export interface UsersSubscriptions {
  cancelOrdersForUser(payload: UserDeleted, ctx: UsersContext): Promise<void>;
}
`;

// A caller's interfaces as generated/orders/handlers.ts declares them: a fallback gets the callee
// endpoint's input and the CallFailure, and answers with its output.
const generatedOrdersHandlers = `
import type { CallFailure } from 'meshspec/runtime';
export interface User { id: string; email: string }
export interface CreateUser { email: string }
export interface GetUserInput { id: string }
export interface ListUsersInput {}
export interface OrdersContext { readonly requestId: string }
export interface OrdersHandlers {
  createUser(input: CreateUser, ctx: OrdersContext): Promise<User>;
}
export interface OrdersFallbacks {
  guestUser(input: GetUserInput, failure: CallFailure): Promise<User>;
  noUsers(input: ListUsersInput, failure: CallFailure): Promise<User[]>;
}
`;

/** Writes `hooks/<service>.ts` (with `content`) and `generated` as its generated/<service>/handlers.ts under `name`; returns the hook file's path. */
function writeProject(name: string, content: string, svc = 'users', generated = generatedHandlers): string {
  const base = join(dir, name);
  const files = { [`generated/${svc}/handlers.ts`]: generated, [`hooks/${svc}.ts`]: content };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return join(base, `hooks/${svc}.ts`);
}

/** Type errors of the hook file compiled as a strict consumer would (`meshspec/runtime` resolves by self-reference). */
function typeErrors(name: string, content: string, svc = 'users', generated = generatedHandlers): string[] {
  return typecheckAsConsumer([writeProject(name, content, svc, generated)]);
}

describe('hook stubs type-check against the generated interfaces', () => {
  const model = mesh(service('users', [createUser, getUser, listUsers, archiveUser], [userDeleted]));

  it('compiles a freshly created hook file', () => {
    const content = planHooks(model, memoryOptions({})).writes[0]?.content ?? '';
    expect(content).toContain('export const subscriptions: UsersSubscriptions');
    expect(typeErrors('created', content)).toEqual([]);
  });

  it('compiles a file after stubs and `subscriptions` were added to it', () => {
    const original = [
      "import type { UsersHandlers } from '../generated/users/handlers.js';",
      '',
      'export const handlers = {',
      '\tasync getUser(input) {',
      "\t\treturn { id: input.id, email: 'a@b.c' };",
      '\t}',
      '} satisfies UsersHandlers;',
      '',
    ].join('\n');
    const content = planHooks(model, memoryOptions({ 'hooks/users.ts': original })).writes[0]?.content ?? '';
    expect(content).toContain('async archiveUser(_input, _ctx)');
    expect(typeErrors('evolved', content)).toEqual([]);
  });

  it('reports errors for a hook file that misses a method (so the check above can fail)', () => {
    const content = planHooks(model, memoryOptions({})).writes[0]?.content ?? '';
    const broken = content.replace(/ {2}\/\/ GET \/users: [^]*?\n {2}},\n/, '');
    expect(broken).not.toContain('listUsers');
    expect(typeErrors('broken', broken).join('\n')).toContain("Property 'listUsers' is missing");
  });

  describe('extra routes', () => {
    // generated/users/handlers.ts with `UsersRoutes`, as the generator declares it for `http.extraRoutes`.
    const generatedWithRoutes = `${generatedHandlers}
import type { ExtraRoutes, HandlerContext } from 'meshspec/runtime';
export type UsersRoutes = ExtraRoutes<HandlerContext>;
`;
    const routed = mesh({ ...service('users', [createUser, getUser, listUsers, archiveUser], [userDeleted]), extraRoutes: true });
    const usersFile = (files: Record<string, string>) => planHooks(routed, memoryOptions(files)).writes[0]?.content ?? '';

    it('compiles a created hook file with `routes`, and one that had only handlers and got `routes` appended without NotImplemented', () => {
      const created = usersFile({});
      expect(created).toContain('export const routes: UsersRoutes = [];');
      const appended = usersFile({
        'hooks/users.ts': [
          "import type { UsersHandlers, UsersSubscriptions } from '../generated/users/handlers.js';",
          '',
          'export const handlers: UsersHandlers = {',
          "  async createUser(input) { return { id: '1', email: input.email }; },",
          "  async getUser(input) { return { id: input.id, email: 'a@b.c' }; },",
          '  async listUsers() { return []; },',
          '  async archiveUser() {},',
          '};',
          '',
          'export const subscriptions: UsersSubscriptions = {',
          '  async cancelOrdersForUser() {},',
          '};',
          '',
        ].join('\n'),
      });
      expect(appended).toContain('export const routes: UsersRoutes = [];');
      expect(appended).not.toContain('NotImplemented');
      const files = Object.entries({ created, appended }).map(([name, content]) => writeProject(`routes-${name}`, content, 'users', generatedWithRoutes));
      expect(typecheckAsConsumer(files)).toEqual([]);
    });
  });

  describe('fallbacks', () => {
    const callee = service('users', [getUser, listUsers]);
    const orders = mesh(callee, calling(service('orders', [createUser]), call('users', [guestUser, noUsers])));
    const ordersFile = (files: Record<string, string>) =>
      planHooks(orders, memoryOptions(files)).writes.find((w) => w.path === 'hooks/orders.ts')?.content ?? '';

    // One program for the three files: each compile of a program takes seconds.
    it('compiles a created hook file, one with a fallback stub added to `fallbacks` and one with `fallbacks` added', () => {
      const created = ordersFile({});
      expect(created).toContain('export const fallbacks: OrdersFallbacks');
      const withMember = ordersFile({
        'hooks/orders.ts': [
          "import type { OrdersFallbacks, OrdersHandlers } from '../generated/orders/handlers.js';",
          '',
          'export const handlers: OrdersHandlers = {',
          '    async createUser(input) {',
          "        return { id: '1', email: input.email };",
          '    },',
          '};',
          '',
          'export const fallbacks: OrdersFallbacks = {',
          '    async guestUser(input, failure) {',
          '        return { id: input.id, email: failure.dependency };',
          '    },',
          '};',
          '',
        ].join('\n'),
      });
      expect(withMember).toContain('    async noUsers(_input, _failure) {');
      const withObject = ordersFile({
        'hooks/orders.ts': "import type { OrdersHandlers } from '../generated/orders/handlers.js';\n\nexport const handlers: OrdersHandlers = {\n  async createUser(input) {\n    return { id: '1', email: input.email };\n  },\n};\n",
      });
      expect(withObject).toContain('export const fallbacks: OrdersFallbacks = {');
      const files = Object.entries({ created, withMember, withObject }).map(([name, content]) =>
        writeProject(`fallbacks-${name}`, content, 'orders', generatedOrdersHandlers),
      );
      expect(typecheckAsConsumer(files)).toEqual([]);
    });

    it('reports errors for a `fallbacks` object that misses a fallback (so the checks above can fail)', () => {
      const broken = ordersFile({}).replace(/ {2}\/\/ when users\.listUsers fails[^]*?\n {2}},\n/, '');
      expect(broken).not.toContain('noUsers');
      expect(typeErrors('broken-fallbacks', broken, 'orders', generatedOrdersHandlers).join('\n')).toContain("Property 'noUsers' is missing");
    });
  });
});
