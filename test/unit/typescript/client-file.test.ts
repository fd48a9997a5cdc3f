import { describe, expect, it } from 'vitest';
import { emitted } from './fixture.js';

describe('<svc>/client.ts', () => {
  const users = emitted('users/client.ts');

  it('declares one method per endpoint taking call options', () => {
    expect(users).toContain('export interface UsersClient {\n');
    expect(users).toContain('  getUser(input: GetUserInput, options?: CallOptions): Promise<User>;\n');
    expect(users).toContain('  listUsers(input: ListUsersInput, options?: CallOptions): Promise<User[]>;\n');
    expect(users).toContain('  deleteUser(input: DeleteUserInput, options?: CallOptions): Promise<void>;\n');
  });

  it('looks endpoint descriptors up once, by name, at module load', () => {
    expect(users).toContain(
      [
        'const endpoints = {',
        '  createUser: usersDefinition.endpoints[0],',
        '  deleteUser: usersDefinition.endpoints[1],',
        '  getUser: usersDefinition.endpoints[2],',
        '  listUsers: usersDefinition.endpoints[3],',
        '};',
      ].join('\n'),
    );
  });

  it('builds the client over a transport, per-call options over defaults, casting the result', () => {
    expect(users).toContain(
      'export function createUsersClient(transport: ClientTransport, defaults: CallOptions = {}): UsersClient {\n',
    );
    expect(users).toContain(
      '    getUser: (input, options) =>\n' +
        '      transport.call(endpoints.getUser, input, { ...defaults, ...options }) as Promise<User>,\n',
    );
    expect(users).toContain('as Promise<User[]>,\n');
    expect(users).toContain('as Promise<void>,\n');
  });

  it('imports the runtime types, the spec types and its definition', () => {
    expect(users).toContain("import type { CallOptions, ClientTransport } from 'meshspec/runtime';\n");
    expect(users).toContain(
      "import type { CreateUser, DeleteUserInput, GetUserInput, ListUsersInput, User } from './types.js';\n",
    );
    expect(users).toContain("import { usersDefinition } from './definition.js';\n");
  });
});
