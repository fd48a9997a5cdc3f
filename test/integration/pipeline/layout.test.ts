// A project that keeps its output and hooks elsewhere (`--out build/gen --hooks src/hooks`): every
// path the generated files write (entry points in the manifests, hook modules in imports and doc
// comments, the generated handler types in new hook files) follows the layout, and the result
// type-checks, loads and serves from there, also when started the way the manifests start it.
import { mkdir, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { startStack, type DevStack, type RunningStack } from '../../../runtime/dev/index.js';
import { eventually, freePort, start, type Child } from '../../support/processes.js';
import { tempProject, type TempProject } from '../../support/project.js';
import { tsFilesIn, typecheck } from '../../support/typecheck.js';

let project: TempProject;
let stack: RunningStack | undefined;
let child: Child | undefined;
let files: Map<string, string>;
/** The container command of each workload's Deployment. */
const commands = new Map<string, string[]>();

const OUT = 'build/gen';
const HOOKS = 'src/hooks';

beforeAll(async () => {
  project = await tempProject('layout', []);
  await mkdir(project.file('specs/services'), { recursive: true });
  await writeFile(
    project.file('specs/mesh.yaml'),
    [
      'mesh: library',
      'version: 0.1.0',
      'types:',
      '  BookAdded:',
      '    fields:',
      '      bookId: { type: string, field: 1 }',
      'events:',
      '  book.added: { payload: BookAdded }',
      'gateway:',
      '  port: 8191',
      '  routes:',
      '    - { prefix: /api/books, service: books, rewrite: /books }',
      '',
    ].join('\n'),
  );
  await writeFile(
    project.file('specs/services/books.yaml'),
    [
      'service: books',
      'ports: { http: 3191 }',
      'calls: { authors: { transport: grpc } }',
      'types:',
      '  Book:',
      '    fields:',
      '      id: { type: string, field: 1 }',
      'endpoints:',
      '  getBook:',
      '    http: GET /books/{id}',
      '    output: Book',
      '    errors: [NotFound]',
      '    emits: [book.added]',
      '',
    ].join('\n'),
  );
  await writeFile(
    project.file('specs/services/authors.yaml'),
    [
      'service: authors',
      'ports: { http: 3192, grpc: 50192 }',
      'types:',
      '  Author:',
      '    fields:',
      '      id: { type: string, field: 1 }',
      'endpoints:',
      '  getAuthor:',
      '    http: GET /authors/{id}',
      '    output: Author',
      'subscribes:',
      '  book.added: countBook',
      '',
    ].join('\n'),
  );
  const result = await generate({ root: project.root, specDir: 'specs', outDir: `./${OUT}/`, hooksDir: HOOKS, check: false });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  files = new Map([...(await project.snapshot(OUT)), ...(await project.snapshot(HOOKS))]);
  // The user writes one hook body: books calls authors over gRPC (whose stub answers NotImplemented).
  await writeFile(
    project.file(`${HOOKS}/books.ts`),
    [
      `import type { BooksHandlers } from '../../${OUT}/books/handlers.js';`,
      '',
      'export const handlers: BooksHandlers = {',
      '  async getBook(input, ctx) {',
      "    const author = await ctx.clients.authors.getAuthor({ id: 'a1' }).catch((err: { code: string }) => err.code);",
      "    return { id: `${input.id}:${typeof author === 'string' ? author : author.id}` };",
      '  },',
      '};',
      '',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await child?.stop();
  await stack?.close();
  await project.remove();
});

describe(`a project generated into ${OUT} with hooks in ${HOOKS}`, () => {
  it('writes its files there and nowhere else', async () => {
    expect(files.has(`${OUT}/books/host.ts`)).toBe(true);
    expect(files.has(`${HOOKS}/books.ts`)).toBe(true);
    expect([...(await project.snapshot('generated')).keys(), ...(await project.snapshot('hooks')).keys()]).toEqual([]);
  });

  it('starts every container by its workload name alone (the image\'s entry is the build output)', () => {
    for (const workload of ['books', 'authors', 'gateway']) {
      for (const doc of parseAllDocuments(files.get(`${OUT}/k8s/base/${workload}.yaml`)!)) {
        const object = doc.toJS() as { kind: string; spec: { template: { spec: { containers: { args: string[] }[] } } } };
        if (object.kind === 'Deployment') commands.set(workload, object.spec.template.spec.containers[0]!.args);
      }
    }
    expect(Object.fromEntries(commands)).toEqual({
      books: ['books'],
      authors: ['authors'],
      gateway: ['gateway'],
    });
  });

  it('names the hook files where they are in doc comments, and imports them from there', () => {
    const handlers = files.get(`${OUT}/authors/handlers.ts`)!;
    expect(handlers).toContain(`/** The authors endpoints: \`${HOOKS}/authors.ts\` exports \`handlers\` implementing this. */`);
    expect(handlers).toContain(`/** The authors event hooks: \`${HOOKS}/authors.ts\` exports \`subscriptions\` implementing this. */`);
    expect(files.get(`${OUT}/authors/host.ts`)).toContain(`import { handlers, subscriptions } from '../../../${HOOKS}/authors.js';\n`);
    expect(files.get(`${OUT}/books/host.ts`)).toContain(`import { handlers } from '../../../${HOOKS}/books.js';\n`);
    expect(files.get(`${HOOKS}/books.ts`)).toContain(`from '../../${OUT}/books/handlers.js';`);
    expect(files.get(`${OUT}/stack.ts`)).toContain("import { booksHost } from './books/host.js';\n");
  });

  it('mentions no path of the default layout anywhere', () => {
    for (const [file, content] of files) {
      expect(content.match(/(?<![\w./-])(generated|hooks)\/[\w./-]+/g) ?? [], file).toEqual([]);
    }
  });

  it('type-checks, generated code and hooks', () => {
    expect(typecheck(tsFilesIn(project.file(OUT), project.file(HOOKS)))).toEqual([]);
  });

  it('runs the stack from there: through the gateway, books calls authors over gRPC', async () => {
    const { stack: definition } = (await import(pathToFileURL(project.file(`${OUT}/stack.ts`)).href)) as { stack: DevStack };
    stack = await startStack(definition, {
      ports: { books: { http: 0 }, authors: { http: 0, grpc: 0 } },
      gatewayPort: 0,
      logLevel: 'silent',
      output: { write: () => true },
    });
    const response = await fetch(`${stack.gatewayUrl}/api/books/b1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'b1:NotImplemented' });
  });

  it('starts the service its manifest names from the entry in the output folder, from the project root', async () => {
    const port = await freePort();
    // The manifest passes the workload's name alone to the image's ENTRYPOINT (the built
    // generated/main.ts); from source, the same entry in the output folder takes it.
    const [workload] = commands.get('authors')!;
    child = start(['--import', 'tsx', `${OUT}/main.ts`, workload!], { PORT: String(port), GRPC_PORT: '0', HOST: '127.0.0.1' }, project.root);
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null))?.status === 200, 15_000);
    await child.waitFor(/authors started/);
  }, 30_000);
});
