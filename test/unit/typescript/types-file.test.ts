import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('types.ts and <svc>/types.ts', () => {
  const text = emitted('types.ts');
  const orders = emitted('orders/types.ts');
  const users = emitted('users/types.ts');

  it('puts mesh-level types in types.ts and each service\'s own in <svc>/types.ts, importing the shared ones it uses', () => {
    expect([...text.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1])).toEqual(['OrderStatus', 'UserCreated']);
    expect(orders).toMatch(/^import type \{ OrderStatus \} from '\.\.\/types\.js';\n/);
    expect(users).not.toContain('import');
  });

  it('lets two services each declare a type of the same name', () => {
    const model = fixtureModel();
    const source = model.types[0]!.source;
    model.types.push(
      { kind: 'record', name: 'Item', owner: 'orders', fields: [], reserved: [], source },
      { kind: 'record', name: 'Item', owner: 'users', fields: [], reserved: [], source },
    );
    expect(emitted('orders/types.ts', model)).toContain('export interface Item {}');
    expect(emitted('users/types.ts', model)).toContain('export interface Item {}');
  });

  it('declares a record as an interface: optional fields, arrays, maps, enums by name, JSDoc', () => {
    expect(orders).toContain(
      [
        '/** An order. */',
        'export interface Order {',
        '  id: string;',
        '  lines: OrderLine[];',
        '  status: OrderStatus;',
        '  /** Free-form labels. */',
        '  tags?: Record<string, string>;',
        '}',
      ].join('\n'),
    );
    expect(users).toContain('export interface User {\n  id: string;\n  email: string;\n  nickname?: string;\n}');
  });

  it('maps integers to number and keeps an empty record as `{}`', () => {
    expect(orders).toContain('export interface OrderLine {\n  sku: string;\n  quantity: number;\n}');
    expect(users).toContain('export interface ListUsersInput {}\n');
  });

  it('declares an enum as a string union plus its values in spec order', () => {
    expect(text).toContain("export type OrderStatus = 'pending' | 'confirmed' | 'cancelled';\n");
    expect(text).toContain("export const OrderStatusValues = ['pending', 'confirmed', 'cancelled'] as const;\n");
  });

  it('breaks a long union one member per line', () => {
    const model = fixtureModel();
    const values = Array.from({ length: 12 }, (_, i) => `value${i}`);
    model.types = [{ kind: 'enum', name: 'Big', owner: null, values, inline: false, source: model.types[0]!.source }];
    model.services = [];
    model.events = [];
    expect(emitted('types.ts', model)).toContain("export type Big =\n  | 'value0'\n  | 'value1'\n");
  });

  it('orders declarations by type name whatever the model order', () => {
    const model = fixtureModel();
    model.types.reverse();
    expect(emitted('orders/types.ts', model)).toBe(orders);
    const names = [...orders.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(names).toEqual([...names].sort());
  });
});
