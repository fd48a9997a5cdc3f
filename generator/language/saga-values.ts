// The value language of saga mappings (`input: { orderId: saga.id, amount: steps.reserve.total }`),
// read into expressions before any type is known: paths, literals and nested objects. Kept apart from
// the type checks (saga-types.ts) so that its syntax is small and testable on its own.
import { closest } from '../../common/closest.js';
import type { RawSagaValue } from './raw.js';

/** A parsed saga value: what the mapping says, not yet checked against any type. */
export type SagaExpression =
  | { kind: 'path'; root: 'input' | 'saga'; path: string[] }
  | { kind: 'path'; root: 'step'; step: string; path: string[] }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'object'; fields: { name: string; value: SagaExpression }[] }
  /** A value that could not be read, with why: reported where it stands, the rest of the mapping still read. */
  | { kind: 'invalid'; message: string };

const SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;
const ROOTS = ['input', 'saga', 'steps'];

/**
 * Reads a saga value as YAML gave it: a path (`input.a.b`, `saga.id`, `steps.<step>.a`), a number,
 * a boolean, null, a single-quoted string literal inside the YAML string (`"'EUR'"`, `''` for a
 * quote), or a `{ field: value }` object (read field by field).
 *
 * @param raw the YAML value (a list, or a number that is not finite, is a problem)
 * @returns the expression; a value that cannot be read is an `invalid` one saying why (inside an object, the other fields are still read)
 * @example parseSagaValue('steps.reserve.total') // { kind: 'path', root: 'step', step: 'reserve', path: ['total'] }
 * @example parseSagaValue("'EUR'") // { kind: 'literal', value: 'EUR' }
 * @example parseSagaValue('EUR') // { kind: 'invalid', message: '`EUR` is not a saga value: …' }
 */
export function parseSagaValue(raw: unknown): SagaExpression {
  if (raw === null || typeof raw === 'boolean') return { kind: 'literal', value: raw };
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return { kind: 'literal', value: raw };
    return { kind: 'invalid', message: `\`${raw}\` is not a number JSON can carry; write a finite number` };
  }
  if (typeof raw === 'string') return parseText(raw);
  if (Array.isArray(raw) || typeof raw !== 'object') {
    return { kind: 'invalid', message: 'a list is not a saga value: map a list field from a path (`items: input.items`)' };
  }
  const fields = Object.entries(raw as Record<string, RawSagaValue>).map(([name, value]) => ({ name, value: parseSagaValue(value) }));
  return { kind: 'object', fields };
}

/**
 * The text of a path or a quoted literal, for messages.
 *
 * @param expression a path or a literal (an object shows as `{…}`)
 * @example showSagaExpression({ kind: 'path', root: 'saga', path: ['id'] }) // 'saga.id'
 */
export function showSagaExpression(expression: SagaExpression): string {
  switch (expression.kind) {
    case 'path':
      return [expression.root === 'step' ? `steps.${expression.step}` : expression.root, ...expression.path].join('.');
    case 'literal':
      return typeof expression.value === 'string' ? `'${expression.value.replace(/'/g, "''")}'` : String(expression.value);
    case 'object':
      return '{…}';
    case 'invalid':
      return '?';
  }
}

function parseText(text: string): SagaExpression {
  const fail = (message: string): SagaExpression => ({ kind: 'invalid', message });
  if (text.startsWith("'")) {
    const body = text.slice(1, -1);
    if (text.length < 2 || !text.endsWith("'") || body.replace(/''/g, '').includes("'")) {
      return fail(`\`${text}\` is not a string literal: a string literal is written in single quotes, with \`''\` for a quote inside (\`"'EUR'"\`)`);
    }
    return { kind: 'literal', value: body.replace(/''/g, "'") };
  }
  const segments = text.split('.');
  const [root = '', ...rest] = segments;
  if (!ROOTS.includes(root) || !segments.every((s) => SEGMENT.test(s))) {
    const near = closest(root, ROOTS);
    const hint = near !== undefined && segments.every((s) => SEGMENT.test(s)) ? `; did you mean \`${[near, ...rest].join('.')}\`?` : `; a string literal is quoted inside the YAML string: \`"'${text}'"\``;
    return fail(`\`${text}\` is not a saga value: a value is a path (\`input.<field>\`, \`saga.id\`, \`steps.<step>.<field>\`), a number, a boolean, null or a quoted string${hint}`);
  }
  if (root === 'saga') {
    if (rest.length === 1 && rest[0] === 'id') return { kind: 'path', root: 'saga', path: ['id'] };
    return fail(`\`${text}\` is not a saga value: \`saga\` has one field, its id (\`saga.id\`)`);
  }
  if (root === 'steps') {
    const [step, ...path] = rest;
    if (step === undefined) return fail('`steps` needs a step name: `steps.<step>` is its output, `steps.<step>.<field>` a field of it');
    return { kind: 'path', root: 'step', step, path };
  }
  return { kind: 'path', root: 'input', path: rest };
}
