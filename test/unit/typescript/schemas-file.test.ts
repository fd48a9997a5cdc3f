import { describe, expect, it } from 'vitest';
import { emitted } from './fixture.js';

/** Evaluates the emitted literal: the text between `= ` and ` as const`, which is plain JS. */
function registryOf(text: string): { $id: string; $defs: Record<string, unknown> } {
  const literal = /export const schemas = ([\s\S]*) as const satisfies SchemaRegistry;/.exec(text)?.[1];
  if (literal === undefined) throw new Error('no schemas constant');
  return new Function(`return (${literal});`)() as { $id: string; $defs: Record<string, unknown> };
}

describe('schemas.ts', () => {
  const text = emitted('schemas.ts');

  it('is one registry typed against the runtime', () => {
    expect(text).toMatch(/^import type \{ SchemaRegistry \} from 'meshspec\/runtime';\n/);
    expect(registryOf(text).$id).toBe('meshspec:shop');
  });

  it('holds every type by key (`<service>.<Type>` for a service\'s own), sorted, with refs into $defs and closed records', () => {
    const { $defs } = registryOf(text);
    expect(Object.keys($defs)).toEqual([
      'OrderStatus',
      'UserCreated',
      'orders.CancelOrderInput',
      'orders.CreateOrder',
      'orders.Order',
      'orders.OrderLine',
      'users.CreateUser',
      'users.DeleteUserInput',
      'users.GetUserInput',
      'users.ListUsersInput',
      'users.User',
    ]);
    expect($defs['orders.Order']).toEqual({
      type: 'object',
      description: 'An order.',
      properties: {
        id: { type: 'string' },
        lines: { type: 'array', items: { $ref: '#/$defs/orders.OrderLine' } },
        status: { $ref: '#/$defs/OrderStatus' },
        tags: { type: 'object', additionalProperties: { type: 'string' }, description: 'Free-form labels.' },
      },
      required: ['id', 'lines', 'status'],
      additionalProperties: false,
    });
    expect($defs['OrderStatus']).toEqual({ type: 'string', enum: ['pending', 'confirmed', 'cancelled'] });
    expect($defs['users.CreateUser']).toMatchObject({ properties: { email: { type: 'string', format: 'email' } } });
  });
});
