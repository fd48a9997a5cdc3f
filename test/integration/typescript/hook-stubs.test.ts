// The stubs must compile, under a consumer's strictest settings (unused parameters included),
// against generated-like handler interfaces: typed parameters come from the `handlers: UsersHandlers`
// annotation alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planHooks } from '../../../generator/hooks/index.js';
import { repoRoot } from '../../support/project.js';
import { typecheckAsConsumer } from '../../support/typecheck.js';
import { archiveUser, createUser, getUser, listUsers, memoryOptions, mesh, service, userDeleted } from '../../unit/hooks/model.js';

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

/** Type errors of `hooks/users.ts` (with `content`) compiled as a strict consumer would (`meshspec/runtime` resolves by self-reference). */
function typeErrors(name: string, content: string): string[] {
  const base = join(dir, name);
  const files = { 'generated/users/handlers.ts': generatedHandlers, 'hooks/users.ts': content };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return typecheckAsConsumer([join(base, 'hooks/users.ts')]);
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
});
