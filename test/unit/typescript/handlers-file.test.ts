import { describe, expect, it } from 'vitest';
import { emitted } from './fixture.js';

describe('<svc>/handlers.ts', () => {
  const users = emitted('users/handlers.ts');
  const orders = emitted('orders/handlers.ts');

  it('types one hook per endpoint: input, context, and a single, list or void output', () => {
    expect(users).toContain('  createUser(input: CreateUser, ctx: UsersContext): Promise<User>;\n');
    expect(users).toContain('  getUser(input: GetUserInput, ctx: UsersContext): Promise<User>;\n');
    expect(users).toContain('  listUsers(input: ListUsersInput, ctx: UsersContext): Promise<User[]>;\n');
    expect(users).toContain('  deleteUser(input: DeleteUserInput, ctx: UsersContext): Promise<void>;\n');
    expect(users).toContain('export interface UsersHandlers {\n');
  });

  it('documents the route, declared errors and emitted events of each hook', () => {
    expect(users).toContain(
      [
        '  /**',
        '   * Signs a user up.',
        '   *',
        '   * `POST /users` -> 201.',
        '   * Errors: EmailTaken (409).',
        '   * Emits: user.created.',
        '   */',
        '  createUser(',
      ].join('\n'),
    );
    expect(orders).toContain('   * Errors: Conflict (409), NotFound (404).\n   */\n  cancelOrder(');
    expect(users).toContain('  /** `GET /users` -> 200. */\n  listUsers(');
  });

  it('gives the context typed clients of the callees and a typed publish', () => {
    expect(orders).toContain("import type { UsersClient } from '../users/client.js';\n");
    expect(orders).toContain('export interface OrdersClients {\n  users: UsersClient;\n}');
    expect(users).toContain("export interface UsersPublishes {\n  'user.created': UserCreated;\n}");
    expect(users).toContain('export type UsersContext = HandlerContext<UsersClients, UsersPublishes>;\n');
    expect(users).toContain("import type { HandlerContext } from 'meshspec/runtime';\n");
  });

  it('uses an empty record type when there are no callees or published events', () => {
    expect(users).toContain('export type UsersClients = Record<never, never>;\n');
    expect(orders).toContain('export type OrdersPublishes = Record<never, never>;\n');
  });

  it('types event hooks only for a subscribing service', () => {
    expect(orders).toContain('export type OrdersEventContext = EventContext<OrdersClients, OrdersPublishes>;\n');
    expect(orders).toContain("import type { EventContext, HandlerContext } from 'meshspec/runtime';");
    expect(orders).toContain(
      'export interface OrdersSubscriptions {\n  /** Handles `user.created`. */\n' +
        '  welcomeUser(event: UserCreated, ctx: OrdersEventContext): Promise<void>;\n}',
    );
    expect(users).not.toContain('Subscriptions');
    expect(users).not.toContain('EventContext');
  });

  it('imports exactly the spec types it uses', () => {
    expect(orders).toContain("import type { UserCreated } from '../types.js';\n");
    expect(orders).toContain("import type { CancelOrderInput, CreateOrder, Order } from './types.js';\n");
  });
});
