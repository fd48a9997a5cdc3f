// The hook reader takes a file's syntax errors from the parse rather than from a program built per
// file: it must report exactly what the program reports, for any kind of mistake.
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { createParser } from '../../../generator/hooks/parse.js';

const broken = [
  'export const handlers = {\n  async getUser(input) {\n    return 1;\n  \n};\n',
  "import { x } from './x.js'\nexport const handlers = { a: 1, b: };\n",
  'export const handlers = {\n  async getUser(input {\n  },\n};\n',
  'const = 3;\nexport const handlers = {};\n',
  'export const handlers = { `unterminated };\n',
  "export const handlers = { a: '\n' };\n",
  'export const handlers = {};\n}\n/* never closed\n',
  'export const handlers = { a: <div>x</div> };\n',
  'export const handlers = { async a() { await; } , , };\nexport const subscriptions = {\n',
];

/** The first syntax error as a program reports it, worded as the reader words it. */
function programSays(text: string): string {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { noLib: true, noResolve: true } });
  const sf = project.createSourceFile('/hook.ts', text);
  const [first] = project.getProgram().getSyntacticDiagnostics(sf);
  if (!first) return 'no error';
  const { line, column } = sf.getLineAndColumnAtPos(first.getStart() ?? 0);
  const message = first.getMessageText();
  const words = typeof message === 'string' ? message : message.getMessageText();
  return `it has a syntax error at line ${line}, column ${column}: ${words.replace(/\.$/, '')}`;
}

describe('the hook reader on files with syntax errors', () => {
  const parse = createParser();
  it.each(broken.map((text, i) => [i, text]))('reports what a program reports (file %i)', (_, text) => {
    const result = parse(text);
    expect(result.ok ? 'no error' : result.reason).toBe(programSays(text));
    expect(result.ok).toBe(false);
  });

  it('reads a file without errors', () => {
    expect(parse('export const handlers = { async a() {} };\n').ok).toBe(true);
  });
});
