// printLiteral decides "fits on one line" without printing a long value flat first; it must decide
// exactly as printing it flat would, at every width and nesting (the reference below does the latter).
import { describe, expect, it } from 'vitest';
import { code, Code, printLiteral, propertyName, quote, WIDTH, type Literal } from '../../../generator/emit/typescript/code.js';

function flat(value: Literal): string {
  if (value === null) return 'null';
  if (value instanceof Code) return value.text;
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`;
  const props = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${propertyName(k)}: ${flat(v!)}`);
  return props.length === 0 ? '{}' : `{ ${props.join(', ')} }`;
}

/** The printer as it was: print flat, then see whether that fits. */
function reference(value: Literal, indent = 0, column = indent, expand = false): string {
  const line = flat(value);
  const composite = typeof value === 'object' && value !== null && !(value instanceof Code);
  if (!composite || (!expand && column + line.length + 1 <= WIDTH && !line.includes('\n'))) return line;
  const inner = ' '.repeat(indent + 2);
  const lines = Array.isArray(value)
    ? value.map((item) => inner + reference(item, indent + 2))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => inner + `${propertyName(k)}: ` + reference(v!, indent + 2, indent + 2 + `${propertyName(k)}: `.length));
  if (lines.length === 0) return line;
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.map((l) => `${l},\n`).join('')}${' '.repeat(indent)}${close}`;
}

/** A deterministic pseudo-random literal: nested objects and lists of every kind of leaf. */
function literal(seed: { n: number }, depth: number): Literal {
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const leaves: (() => Literal)[] = [
    () => 'x'.repeat(Math.floor(next() * 40)),
    () => Math.floor(next() * 1e6),
    () => next() < 0.5,
    () => null,
    () => code(next() < 0.2 ? 'f(\n  1,\n)' : `ref${Math.floor(next() * 100)}`),
  ];
  if (depth === 0 || next() < 0.3) return leaves[Math.floor(next() * leaves.length)]!();
  const size = Math.floor(next() * 6);
  if (next() < 0.5) return Array.from({ length: size }, () => literal(seed, depth - 1));
  return Object.fromEntries(Array.from({ length: size }, (_, i) => [next() < 0.2 ? `key-${i}` : `k${i}`, next() < 0.1 ? undefined : literal(seed, depth - 1)]));
}

describe('printLiteral line width', () => {
  it('breaks exactly where printing flat would, for values around the width', () => {
    for (let length = 80; length <= 105; length++) {
      const value = { text: 'y'.repeat(length - 14) };
      for (const column of [0, 3, 10]) expect(printLiteral(value, 0, column)).toBe(reference(value, 0, column));
    }
  });

  it('prints 500 random nested literals as the flat-first printer did', () => {
    const seed = { n: 42 };
    for (let i = 0; i < 500; i++) {
      const value = literal(seed, 4);
      const column = i % 30;
      expect(printLiteral(value, 0, column, i % 7 === 0)).toBe(reference(value, 0, column, i % 7 === 0));
    }
  });
});
