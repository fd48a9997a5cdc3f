import { describe, expect, it } from 'vitest';
import { emitted, fixtureModel } from './fixture.js';

describe('types.ts', () => {
  const text = emitted('types.ts');

  it('declares a record as an interface: optional fields, arrays, maps, enums by name, JSDoc', () => {
    expect(text).toContain(
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
    expect(text).toContain('export interface User {\n  id: string;\n  email: string;\n  nickname?: string;\n}');
  });

  it('maps integers to number and keeps an empty record as `{}`', () => {
    expect(text).toContain('export interface OrderLine {\n  sku: string;\n  quantity: number;\n}');
    expect(text).toContain('export interface ListUsersInput {}\n');
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
    expect(emitted('types.ts', model)).toBe(text);
    const names = [...text.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(names).toEqual([...names].sort());
  });
});
