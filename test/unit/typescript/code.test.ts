import { describe, expect, it } from 'vitest';
import {
  code,
  importBlock,
  importDecl,
  jsdoc,
  jsonLiteral,
  methodSignature,
  printLiteral,
  quote,
} from '../../../generator/emit/typescript/code.js';

describe('quote', () => {
  it('uses single quotes and escapes backslashes, quotes and control characters', () => {
    expect(quote('a\\b')).toBe("'a\\\\b'");
    expect(quote('line\nnext\ttab')).toBe("'line\\nnext\\ttab'");
    expect(quote('say "hi"')).toBe(`'say "hi"'`);
    expect(quote('\u0001')).toBe("'\\u0001'");
  });

  it("switches to double quotes when that needs fewer escapes, like prettier", () => {
    expect(quote("the order's total")).toBe(`"the order's total"`);
    expect(quote(`it's "x" and "y"`)).toBe(`'it\\'s "x" and "y"'`);
  });
});

describe('printLiteral', () => {
  it('keeps what fits on one line and quotes only keys that need it', () => {
    expect(printLiteral({ a: 1, 'user.created': [true, null], $ref: 'x' })).toBe(
      "{ a: 1, 'user.created': [true, null], $ref: 'x' }",
    );
  });

  it('breaks what does not fit, one entry per line with trailing commas, nested values inline', () => {
    const long = 'x'.repeat(60);
    expect(printLiteral({ first: long, second: { n: 1 }, third: [long] })).toBe(
      `{\n  first: '${long}',\n  second: { n: 1 },\n  third: ['${long}'],\n}`,
    );
  });

  it('expands the outer level on request, prints code verbatim and drops undefined', () => {
    expect(printLiteral({ a: code('f(1)'), b: undefined, c: [] }, 0, 0, true)).toBe('{\n  a: f(1),\n  c: [],\n}');
    expect(printLiteral({}, 0, 0, true)).toBe('{}');
  });
});

describe('jsdoc', () => {
  it('is one line when short, a block for several lines, nothing for no text', () => {
    expect(jsdoc('Hello.', 2)).toBe('  /** Hello. */\n');
    expect(jsdoc(['One.', '', 'Two.'])).toBe('/**\n * One.\n *\n * Two.\n */\n');
    expect(jsdoc(undefined)).toBe('');
    expect(jsdoc('  \n')).toBe('');
  });

  it('cannot be closed early by the text', () => {
    expect(jsdoc('a */ b')).toBe('/** a *\\/ b */\n');
  });

  it('prefixes every line, also of a list element that holds line breaks (an endpoint description)', () => {
    expect(jsdoc(['First.\nSecond.', '', '`GET /x` -> 200.'], 2)).toBe('  /**\n   * First.\n   * Second.\n   *\n   * `GET /x` -> 200.\n   */\n');
  });

  it('breaks lines at CRLF, CR, U+2028 and U+2029 as well as LF, and escapes a closer on any line', () => {
    expect(jsdoc('a\r\nb\rc\u2028d\u2029e */')).toBe('/**\n * a\n * b\n * c\n * d\n * e *\\/\n */\n');
    expect(jsdoc(['\n', 'x', '\r\n'])).toBe('/** x */\n');
  });
});

describe('imports', () => {
  it('sorts and dedupes names, breaks long lists, and marks type-only imports', () => {
    expect(importDecl(['b', 'a', 'b'], './x.js', { typeOnly: true })).toBe("import type { a, b } from './x.js';\n");
    const names = Array.from({ length: 12 }, (_, i) => `Name${i}`);
    expect(importDecl(names, '../types.js')).toMatch(/^import \{\n {2}Name0,\n {2}Name1,\n/);
    expect(importDecl(['A'], 'm', { keyword: 'export' })).toBe("export { A } from 'm';\n");
  });

  it('orders node builtins, packages, then relative modules, and drops empty ones', () => {
    const block = importBlock([
      { names: ['b'], from: './b.js' },
      { names: [], from: './empty.js' },
      { names: ['HandlerContext'], from: 'meshspec/runtime', typeOnly: true },
      { names: ['a'], from: '../a.js' },
      { names: ['fileURLToPath'], from: 'node:url' },
    ]);
    expect(block.split('\n').filter(Boolean).map((l) => l.split(' from ')[1])).toEqual([
      "'node:url';",
      "'meshspec/runtime';",
      "'../a.js';",
      "'./b.js';",
    ]);
  });
});

describe('methodSignature', () => {
  it('breaks parameters over lines only when the signature is too long', () => {
    expect(methodSignature('f', ['a: A', 'b: B'], 'Promise<void>')).toBe('  f(a: A, b: B): Promise<void>;\n');
    const long = methodSignature('f', ['input: ' + 'X'.repeat(50), 'ctx: ' + 'Y'.repeat(40)], 'Promise<void>');
    expect(long).toBe(`  f(\n    input: ${'X'.repeat(50)},\n    ctx: ${'Y'.repeat(40)},\n  ): Promise<void>;\n`);
  });

  it('quotes `new`, which would otherwise declare a construct signature (found by the valid-spec property)', () => {
    expect(methodSignature('new', ['input: X'], 'Promise<Y>')).toBe("  'new'(input: X): Promise<Y>;\n");
    expect(methodSignature('delete', ['input: X'], 'Promise<Y>')).toBe('  delete(input: X): Promise<Y>;\n');
  });
});

describe('jsonLiteral', () => {
  it('accepts JSON data and rejects anything that would not print back', () => {
    expect(jsonLiteral({ a: [1, 'x', null], b: undefined })).toEqual({ a: [1, 'x', null] });
    expect(() => jsonLiteral({ f: () => 1 })).toThrow(/cannot print/);
    expect(() => jsonLiteral(Number.NaN)).toThrow(/cannot print/);
  });
});
