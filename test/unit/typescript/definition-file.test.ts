import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('<svc>/definition.ts', () => {
  const users = emitted('users/definition.ts');
  const orders = emitted('orders/definition.ts');

  it('names the constant after the service and checks it against ServiceDefinition', () => {
    expect(users).toContain('/** Accounts. */\nexport const usersDefinition = {\n');
    expect(users).toContain('} as const satisfies ServiceDefinition;\n');
    expect(users).toContain("  mesh: 'shop',\n  name: 'users',\n  version: '1.2.3',\n");
  });

  it('lists endpoints with the spec path, params, statuses and each error\'s HTTP status and gRPC code', () => {
    expect(users).toContain(
      [
        '    {',
        "      name: 'getUser',",
        "      method: 'GET',",
        "      path: '/users/{id}',",
        "      pathParams: ['id'],",
        "      inputSource: 'none',",
        '      successStatus: 200,',
        "      input: 'users.GetUserInput',",
        "      output: { type: 'users.User', list: false },",
        "      errors: { NotFound: { status: 404, grpc: 'NOT_FOUND' } },",
        "      grpc: { method: 'GetUser', request: null, response: 'user' },",
        '    },',
      ].join('\n'),
    );
    expect(users).toContain("      output: { type: 'users.User', list: true },\n      errors: {},\n");
    expect(users).toContain("      grpc: { method: 'CreateUser', request: 'createUser', response: 'user' },\n");
    expect(users).toContain("      grpc: { method: 'ListUsers', request: null, response: 'items' },\n");
    expect(users).toContain('      successStatus: 204,\n');
    expect(users).toContain('      output: null,\n');
    // Defaults per HTTP status (Conflict is ABORTED), or the code the declaration names.
    expect(orders).toContain("      errors: {\n        Conflict: { status: 409, grpc: 'ABORTED' },\n        NotFound: { status: 404, grpc: 'NOT_FOUND' },\n      },\n");
    expect(orders).toContain("      errors: { UserNotFound: { status: 422, grpc: 'FAILED_PRECONDITION' } },\n");
    expect(users).toContain("      errors: { EmailTaken: { status: 409, grpc: 'ALREADY_EXISTS' } },\n");
  });

  it('resolves the proto next to the generated code when there is a gRPC port', () => {
    expect(users).toContain("import { fileURLToPath } from 'node:url';\n");
    expect(users).toContain(
      [
        '  proto: {',
        "    root: fileURLToPath(new URL('../proto', import.meta.url)),",
        "    file: 'shop/users/v1/users.proto',",
        "    service: 'shop.users.v1.UsersService',",
        "    packages: { 'shop.users.v1': 'users', 'shop.types.v1': null },",
        '  },',
      ].join('\n'),
    );
  });

  it('has no proto (and no url import) without a gRPC port', () => {
    expect(orders).toContain('  proto: null,\n');
    expect(orders).toContain('  ports: { http: 3000, grpc: null },\n');
    expect(orders).not.toContain('node:url');
  });

  it('carries subscriptions, publishes and calls', () => {
    expect(orders).toContain("  subscriptions: [{ event: 'user.created', handler: 'welcomeUser' }],\n");
    expect(orders).toContain("  calls: [{ service: 'users', transport: 'grpc' }],\n");
    expect(users).toContain("  publishes: ['user.created'],\n");
  });

  it("carries a subscription's maxAttempts only when the spec overrides it", () => {
    const model = fixtureModel();
    // The fixture's services are shared objects: replace the one changed, never mutate it.
    model.services = model.services.map((s) => (s.name === 'orders' ? { ...s, subscribes: [{ event: 'user.created', handler: 'welcomeUser', maxAttempts: 10 }] } : s));
    expect(emitted('orders/definition.ts', model)).toContain("  subscriptions: [{ event: 'user.created', handler: 'welcomeUser', maxAttempts: 10 }],\n");
    expect(orders).toContain("  subscriptions: [{ event: 'user.created', handler: 'welcomeUser' }],\n");
  });
});
