import { describe, expect, it } from 'vitest';
import { createValidators, DESCRIBED_KEYS, describeIssues, invalidInput, MAX_ERROR_BODY_BYTES, REPORTED_ISSUES, SAMPLED_ITEMS, type SchemaRegistry } from '../../support/runtime.js';

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
      total: 2,
      partial: false,
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

  it('refuses Infinity, NaN and 1e999 from a query string or path even though coercion would make numbers of them', () => {
    const coercing = createValidators(schemas, { coerce: true });
    for (const text of ['Infinity', '-Infinity', 'NaN', '1e999', '-1e999']) {
      const value: Record<string, unknown> = { limit: text };
      expect(coercing.validate('Query', value).ok, text).toBe(false);
    }
    const price = createValidators({ $id: 'https://meshspec.test/schemas/price', $defs: { Q: { type: 'object', properties: { price: { type: 'number' } } } } }, { coerce: true });
    for (const text of ['Infinity', 'NaN', '1e999']) expect(price.validate('Q', { price: text }).ok, text).toBe(false);
    expect(price.validate('Q', { price: '1e3' }).ok).toBe(true);
  });

  it('describes a value with 130,000 bad items from its first items: a few issues, a count, and a lower bound', () => {
    const items = Array.from({ length: 130_000 }, () => ({}));
    const result = validators.validate('CreateOrder', { email: 'a@example.com', items });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(REPORTED_ISSUES);
    expect(result.issues[0]).toEqual({ path: '/items/0', message: "must have required property 'productId'" });
    expect(result.partial).toBe(true);
    expect(result.total).toBeGreaterThan(REPORTED_ISSUES);
    expect(result.total).toBeLessThanOrEqual(2 * SAMPLED_ITEMS);
  });

  it('describes an object with more keys than it reads by its first issue alone', () => {
    const wide = Object.fromEntries(Array.from({ length: DESCRIBED_KEYS + 1 }, (_, i) => [`k${i}`, 1]));
    const result = validators.validate('CreateOrder', { email: 'a@example.com', items: [{ productId: 'p', quantity: 1 }], ...wide });
    expect(result).toEqual({ ok: false, issues: [{ path: '/k0', message: 'unknown property' }], total: 1, partial: true });
  });

  it('still reports a list keyword of the whole list when only its first items are read', () => {
    const many = createValidators({
      $id: 'https://meshspec.test/schemas/many',
      $defs: { L: { type: 'object', properties: { tags: { type: 'array', maxItems: 100, uniqueItems: true, items: { type: 'string' } } } } },
    });
    const result = many.validate('L', { tags: Array.from({ length: 500 }, (_, i) => `t${i}`) });
    expect(result).toEqual({ ok: false, issues: [{ path: '/tags', message: 'must NOT have more than 100 items' }], total: 1, partial: true });
    // A shortened list with no duplicates says nothing of the whole: the duplicate at 400 is still found by the deciding pass.
    const duplicate = many.validate('L', { tags: [...Array.from({ length: 99 }, (_, i) => `t${i}`), 't5'] });
    expect(duplicate.ok).toBe(false);
  });

  it('finishes coercing a failing query, so only its real problem is reported', () => {
    const coercing = createValidators(schemas, { coerce: true });
    const value: Record<string, unknown> = { limit: 'x', tags: 'a', open: 'true' };
    const result = coercing.validate('Query', value);
    expect(result.ok).toBe(false);
    expect(value).toMatchObject({ tags: ['a'], open: true });
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

  it('counts many issues and names only the first, however many there are', () => {
    const issues = Array.from({ length: 20 }, (_, i) => ({ path: `/items/${i}`, message: "must have required property 'productId'" }));
    expect(describeIssues(issues, 130_000)).toBe("130000 issues; first: /items/0 must have required property 'productId'");
    expect(describeIssues(issues, 128, true)).toBe("128+ issues; first: /items/0 must have required property 'productId'");
  });

  it('cuts an issue that echoes a long key', () => {
    const text = describeIssues([{ path: `/${'k'.repeat(10_000)}`, message: 'unknown property' }]);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('invalidInput', () => {
  it('makes a ValidationFailed whose body stays small: a summary message, 20 issues and a count of the rest', () => {
    const issues = Array.from({ length: 20 }, (_, i) => ({ path: `/items/${i}`, message: "must have required property 'productId'" }));
    const error = invalidInput(issues, 130_000);
    expect(error.message).toBe("invalid input: 130000 issues; first: /items/0 must have required property 'productId'");
    const details = error.details as { path: string; message: string }[];
    expect(details).toHaveLength(21);
    expect(details[20]).toEqual({ path: '', message: '129980 more issues not listed' });
    expect(Buffer.byteLength(JSON.stringify(error.toBody('r1')))).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
  });
});
