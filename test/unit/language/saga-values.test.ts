// The value language of saga mappings, read before any type is known: paths, literals, objects, and
// the mistakes it names (a bare word, an unknown root, `saga` with another field than `id`, an
// unterminated literal, a list).
import { describe, expect, it } from 'vitest';
import { parseSagaValue, showSagaExpression } from '../../../generator/language/saga-values.js';

describe('saga values', () => {
  it('reads paths from the saga input, the saga id and earlier steps', () => {
    expect(parseSagaValue('input.user.id')).toEqual({ kind: 'path', root: 'input', path: ['user', 'id'] });
    expect(parseSagaValue('input')).toEqual({ kind: 'path', root: 'input', path: [] });
    expect(parseSagaValue('saga.id')).toEqual({ kind: 'path', root: 'saga', path: ['id'] });
    expect(parseSagaValue('steps.reserve.total')).toEqual({ kind: 'path', root: 'step', step: 'reserve', path: ['total'] });
    expect(parseSagaValue('steps.createOrder')).toEqual({ kind: 'path', root: 'step', step: 'createOrder', path: [] });
  });

  it('reads YAML numbers, booleans and null, and single-quoted strings, as literals', () => {
    expect(parseSagaValue(12.5)).toEqual({ kind: 'literal', value: 12.5 });
    expect(parseSagaValue(false)).toEqual({ kind: 'literal', value: false });
    expect(parseSagaValue(null)).toEqual({ kind: 'literal', value: null });
    expect(parseSagaValue("'EUR'")).toEqual({ kind: 'literal', value: 'EUR' });
    expect(parseSagaValue("'it''s'")).toEqual({ kind: 'literal', value: "it's" });
    expect(parseSagaValue("''")).toEqual({ kind: 'literal', value: '' });
  });

  it('reads nested objects field by field, keeping a bad field as invalid beside the good ones', () => {
    expect(parseSagaValue({ id: 'saga.id', money: { amount: 1, currency: 'EUR' } })).toEqual({
      kind: 'object',
      fields: [
        { name: 'id', value: { kind: 'path', root: 'saga', path: ['id'] } },
        { name: 'money', value: { kind: 'object', fields: [
          { name: 'amount', value: { kind: 'literal', value: 1 } },
          { name: 'currency', value: { kind: 'invalid', message: expect.stringContaining('`"\'EUR\'"`') } },
        ] } },
      ],
    });
  });

  it('names the mistakes, with the closest root when the path is otherwise well formed', () => {
    const message = (raw: unknown) => {
      const parsed = parseSagaValue(raw);
      return parsed.kind === 'invalid' ? parsed.message : 'valid';
    };
    expect(message('inptu.userId')).toMatch(/did you mean `input\.userId`\?$/);
    expect(message('step.reserve.total')).toMatch(/did you mean `steps\.reserve\.total`\?$/);
    expect(message('saga.name')).toMatch(/`saga` has one field, its id/);
    expect(message('steps')).toMatch(/needs a step name/);
    expect(message("'EUR")).toMatch(/is not a string literal/);
    expect(message("'a'b'")).toMatch(/is not a string literal/);
    expect(message('input..a')).toMatch(/is not a saga value/);
    expect(message([1])).toMatch(/a list is not a saga value/);
    expect(message(Infinity)).toMatch(/not a number JSON can carry/);
  });

  it('shows paths and literals as they are written', () => {
    expect(showSagaExpression(parseSagaValue('steps.a.b'))).toBe('steps.a.b');
    expect(showSagaExpression(parseSagaValue("'it''s'"))).toBe("'it''s'");
    expect(showSagaExpression(parseSagaValue(3))).toBe('3');
  });
});
