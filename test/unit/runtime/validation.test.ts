import { describe, expect, it } from 'vitest';
import { createValidators, describeIssues, type SchemaRegistry } from '../../support/runtime.js';

const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/validation',
  $defs: {
    OrderItem: {
      type: 'object',
      additionalProperties: false,
      required: ['productId', 'quantity'],
      properties: { productId: { type: 'string', minLength: 1 }, quantity: { type: 'integer', minimum: 1 } },
    },
    CreateOrder: {
      type: 'object',
      additionalProperties: false,
      required: ['email', 'items'],
      properties: {
        email: { type: 'string', format: 'email' },
        items: { type: 'array', minItems: 1, items: { $ref: '#/$defs/OrderItem' } },
        status: { $ref: '#/$defs/OrderStatus' },
      },
    },
    OrderStatus: { enum: ['pending', 'confirmed'] },
    Query: {
      type: 'object',
      properties: { limit: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, open: { type: 'boolean' } },
    },
  },
};

describe('createValidators', () => {
  const validators = createValidators(schemas);

  it('accepts a valid value, following $refs between types', () => {
    expect(validators.validate('CreateOrder', { email: 'a@example.com', items: [{ productId: 'p', quantity: 2 }] })).toEqual({ ok: true });
  });

  it('reports every issue with a JSON pointer and a readable message', () => {
    const result = validators.validate('CreateOrder', {
      email: 'not-an-email',
      items: [{ productId: 'p', quantity: 0 }],
      status: 'lost',
      foo: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: '/email', message: 'must match format "email"' },
        { path: '/items/0/quantity', message: 'must be >= 1' },
        { path: '/status', message: 'must be one of "pending", "confirmed"' },
        { path: '/foo', message: 'unknown property' },
      ]),
    );
    expect(result.issues).toHaveLength(4);
  });

  it('reports missing required properties at their parent', () => {
    const result = validators.validate('CreateOrder', {});
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: '', message: "must have required property 'email'" },
        { path: '', message: "must have required property 'items'" },
      ],
    });
  });

  it('accepts every address the JSON Schema email format accepts, single-label domains included', () => {
    const order = (email: string) => ({ email, items: [{ productId: 'p', quantity: 1 }] });
    expect(validators.validate('CreateOrder', order('0@com'))).toEqual({ ok: true });
    expect(validators.validate('CreateOrder', order('"joe bloggs"@example.com'))).toEqual({ ok: true });
    expect(validators.validate('CreateOrder', order('0@com.')).ok).toBe(false);
  });

  it('rejects numbers JSON cannot carry (NaN, Infinity), which only other transports could send', () => {
    for (const limit of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(validators.validate('Query', { limit }).ok, String(limit)).toBe(false);
    }
    expect(validators.validate('Query', { limit: 5 }).ok).toBe(true);
  });

  it('throws for a type that is not in the registry', () => {
    expect(() => validators.validate('Nope', {})).toThrow("unknown schema type 'Nope'");
  });

  it('does not coerce unless asked to', () => {
    const value = { limit: '5' };
    expect(validators.validate('Query', value).ok).toBe(false);
    expect(value.limit).toBe('5');
  });

  it('coerces strings to scalars and single values to arrays when asked to', () => {
    const coercing = createValidators(schemas, { coerce: true });
    const value: Record<string, unknown> = { limit: '5', tags: 'x', open: 'true' };
    expect(coercing.validate('Query', value)).toEqual({ ok: true });
    expect(value).toEqual({ limit: 5, tags: ['x'], open: true });
  });
});

describe('describeIssues', () => {
  it('joins issues with their paths', () => {
    expect(describeIssues([{ path: '/email', message: 'must match format "email"' }, { path: '', message: "must have required property 'name'" }])).toBe(
      `/email must match format "email"; must have required property 'name'`,
    );
  });
});
