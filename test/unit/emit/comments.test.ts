// Spec descriptions become comments (JSDoc in TypeScript, `//` in protobuf) and YAML values. Every
// kind of line break (LF, CRLF, CR, U+2028, U+2029) and a comment closer in a description must stay
// inside the comment: each line prefixed, nothing that ends the comment early or breaks the line
// where a reader (or a JavaScript parser, for U+2028) would not expect it.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAll } from '../../../generator/emit/index.js';
import type { EmittedFile } from '../../../generator/emit/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { defaultLayout } from '../../../generator/naming/index.js';

// Double-quoted YAML: \r, \u2028 and \u2029 are escapes YAML itself decodes.
const hostile = (what: string) => `"${what} one\\nline two\\r\\nline three\\rline four\\u2028line five\\u2029line six */ end"`;
const LINE_BREAKS = /[\r\u2028\u2029]/;

let dir: string;
let files: EmittedFile[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'meshspec-comments-'));
  await mkdir(path.join(dir, 'services'));
  await writeFile(
    path.join(dir, 'mesh.yaml'),
    [
      'mesh: notes',
      'version: 1.0.0',
      `description: ${hostile('mesh')}`,
      'types:',
      '  Shared:',
      `    description: ${hostile('shared')}`,
      '    fields:',
      `      id: { type: string, field: 1, description: ${hostile('sharedfield')} }`,
      '  Mood:',
      `    description: ${hostile('enum')}`,
      '    enum: [calm, busy]',
      'events:',
      `  note.created: { payload: Shared, description: ${hostile('event')} }`,
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'services/notes.yaml'),
    [
      'service: notes',
      `description: ${hostile('service')}`,
      'ports: { http: 3101, grpc: 50101 }',
      'types:',
      '  Note:',
      `    description: ${hostile('record')}`,
      '    fields:',
      `      id: { type: string, field: 1, description: ${hostile('field')} }`,
      '      mood: { type: Mood, field: 2 }',
      'errors:',
      `  NoteLocked: { status: 423, description: ${hostile('error')} }`,
      'endpoints:',
      '  getNote:',
      '    http: GET /notes/{id}',
      `    description: ${hostile('endpoint')}`,
      '    output: Note',
      '    errors: [NotFound, NoteLocked]',
      '    emits: [note.created]',
      '',
    ].join('\n'),
  );
  const compiled = await compileSpec(dir, dir);
  if (!compiled.model) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  files = emitAll(compiled.model, { layout: defaultLayout });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ofKind = (extension: string) => files.filter((f) => f.path.endsWith(extension));

describe('descriptions in comments', () => {
  it('leave no raw CR, U+2028 or U+2029 in any TypeScript or protobuf file', () => {
    expect(ofKind('.ts').length).toBeGreaterThan(5);
    expect(ofKind('.proto').length).toBeGreaterThan(0);
    for (const file of [...ofKind('.ts'), ...ofKind('.proto')]) expect(LINE_BREAKS.test(file.content), file.path).toBe(false);
  });

  it('prefix every line of every JSDoc block with `*` and never close it early', () => {
    let continuation = 0;
    for (const file of ofKind('.ts')) {
      const source = ts.createSourceFile(file.path, file.content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const syntax = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      expect(syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), file.path).toEqual([]);
      for (const block of file.content.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
        const inner = block.split('\n').slice(1);
        for (const line of inner) expect(line, `${file.path}: ${block}`).toMatch(/^\s*\*/);
        continuation += inner.filter((l) => / \* line (two|three|four|five|six)\b/.test(l)).length;
        // The closer in the text is escaped, so each description's last words stay inside its comment.
        for (const line of inner.filter((l) => l.includes('line six'))) expect(line, file.path).toMatch(/^\s*\* line six \*\\\/ end$/);
      }
    }
    // endpoint (handlers, client), record, field, shared type and field, enum, event, error, service: all multi-line.
    expect(continuation).toBeGreaterThanOrEqual(5 * 10);
  });

  it('make every protobuf comment line a `//` line', () => {
    for (const file of ofKind('.proto')) {
      for (const line of file.content.split('\n').filter((l) => /\bline (two|three|four|five|six)\b/.test(l))) {
        expect(line, file.path).toMatch(/^\s*\/\/ line (two|three|four|five|six)\b/);
      }
    }
    expect(ofKind('.proto').some((f) => f.content.includes('// line five'))).toBe(true);
  });

  it('keep descriptions whole as YAML values (OpenAPI), which need no comment escaping', () => {
    const [openapi] = ofKind('.openapi.yaml');
    const doc = parse(openapi!.content) as { info: { description: string } };
    expect(doc.info.description).toContain('line four\u2028line five\u2029line six */ end');
  });
});
