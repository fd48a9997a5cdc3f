// What a new user does first: a small spec of their own (one service, no gateway, no events, no
// gRPC), generate, and run it. The stubs compile and answer 501 until their bodies are written.
import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { startStack, type DevStack, type RunningStack } from '../../../runtime/dev/index.js';
import { tempProject, type TempProject } from '../../support/project.js';
import { tsFilesIn, typecheck } from '../../support/typecheck.js';

let project: TempProject;
let stack: RunningStack | undefined;

beforeAll(async () => {
  project = await tempProject('new-project', []);
  await mkdir(project.file('spec/services'), { recursive: true });
  await writeFile(project.file('spec/mesh.yaml'), 'mesh: notes\nversion: 0.1.0\n');
  await writeFile(
    project.file('spec/services/notes.yaml'),
    [
      'service: notes',
      'ports: { http: 3101 }',
      'types:',
      '  Note:',
      '    fields:',
      '      id: { type: string, field: 1 }',
      '      text: { type: string, maxLength: 280, field: 2 }',
      '      tags: { type: array, items: string, optional: true, field: 3 }',
      'endpoints:',
      '  getNote:',
      '    http: GET /notes/{id}',
      '    output: Note',
      '    errors: [NotFound]',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await stack?.close();
  await project.remove();
});

describe('a new project', () => {
  it('generates code, a hook stub and manifests, and no gateway or protos it did not ask for', async () => {
    const result = await generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: false });
    expect(result.ok).toBe(true);
    const files = [...(await project.snapshot('generated')).keys()];
    expect(files).toContain('generated/notes/handlers.ts');
    expect(files).toContain('generated/k8s/base/notes.yaml');
    expect(files.filter((f) => f.includes('gateway') || f.endsWith('.proto'))).toEqual([]);
    expect(await project.read('hooks/notes.ts')).toContain("throw new NotImplemented('notes.getNote')");
  });

  it('type-checks as generated', () => {
    expect(typecheck(tsFilesIn(project.file('generated'), project.file('hooks')))).toEqual([]);
  });

  it('runs, validates input and answers 501 from the stub', async () => {
    const { stack: definition } = (await import(pathToFileURL(project.file('generated/stack.ts')).href)) as { stack: DevStack };
    expect(definition.gateway).toBeNull();
    stack = await startStack(definition, { ports: { notes: { http: 0 } }, logLevel: 'silent', output: { write: () => true } });
    const url = stack.urls.notes!.http;
    const response = await fetch(`${url}/notes/abc`);
    expect(response.status).toBe(501);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NotImplemented');
    expect((await fetch(`${url}/notes`)).status).toBe(404);
  });
});
