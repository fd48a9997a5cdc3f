// Emits the example spec's TypeScript into a folder inside the repo (so `meshspec/runtime` resolves
// through the package's self-reference), adds hook files, and type-checks everything with the
// repo's compiler options. Negative cases prove the check is live: wrong hooks must be reported.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitGateway } from '../../../generator/emit/gateway/index.js';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import type { EmittedFile } from '../../../generator/emit/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { exampleHooks } from './example-hooks.js';
import { defaultLayout } from '../../../generator/naming/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const root = path.join(repo, '.tmp', `ts-compile-${randomBytes(6).toString('hex')}`);

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(repo, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, repo).options;
}

const options = compilerOptions();
let emitted: EmittedFile[] = [];
let rootNames: string[] = [];
// Parsed files shared between the programs of the different cases: only overrides are re-parsed.
const parsed = new Map<string, ts.SourceFile>();

function format(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(root, d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
}

/**
 * Type-checks the temp project, with some files' text replaced (paths relative to it). Returns the
 * diagnostics of the project's own files and the global ones; the runtime's own errors are the
 * repo typecheck's business, not this test's.
 */
function check(overrides: Record<string, string> = {}): string[] {
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    const override = overrides[path.relative(root, fileName)];
    if (override !== undefined) return ts.createSourceFile(fileName, override, language, true);
    let file = parsed.get(fileName);
    if (!file) {
      file = read(fileName, language, onError, shouldCreate);
      if (file) parsed.set(fileName, file);
    }
    return file;
  };
  const program = ts.createProgram({ rootNames, options, host });
  const own = program.getSourceFiles().filter((f) => f.fileName.startsWith(root + path.sep));
  expect(own.length).toBe(rootNames.length);
  return [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ].map(format);
}

function hook(name: string): string {
  const text = exampleHooks[name];
  if (text === undefined) throw new Error(`no example hook ${name}`);
  return text;
}

/** `text` with `from` replaced, failing loudly if it is not there (so a case cannot pass vacuously). */
function replace(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

beforeAll(async () => {
  const { model, diagnostics } = await compileSpec('spec', repo);
  if (!model) throw new Error(`example spec does not compile: ${JSON.stringify(diagnostics)}`);
  const emitOptions = { layout: defaultLayout };
  emitted = [...emitTypeScript(model, emitOptions), ...emitGateway(model, emitOptions)];
  const files: [string, string][] = [
    ...emitted.map((f): [string, string] => [`generated/${f.path}`, f.content]),
    ...Object.entries(exampleHooks),
  ];
  for (const [relative, content] of files) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  rootNames = files.map(([relative]) => path.join(root, relative));
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('generated TypeScript for the example spec', () => {
  it('emits every layout file for every service', () => {
    const paths = emitted.map((f) => f.path);
    for (const service of ['inventory', 'orders', 'payments', 'users']) {
      for (const file of ['definition', 'errors', 'handlers', 'client', 'host', 'main']) {
        expect(paths).toContain(`${service}/${file}.ts`);
      }
    }
    expect(paths).toEqual(expect.arrayContaining(['schemas.ts', 'types.ts', 'events.ts', 'stack.ts']));
  });

  it('type-checks with the hooks under the repo compiler options', () => {
    expect(check()).toEqual([]);
  }, 120_000);

  it('reports a hook whose return type does not match its endpoint', () => {
    const users = replace(hook('hooks/users.ts'), 'return user;\n  },\n  async listUsers', 'return { id: input.id };\n  },\n  async listUsers');
    const diagnostics = check({ 'hooks/users.ts': users });
    expect(diagnostics).toEqual([expect.stringMatching(/^hooks\/users\.ts\(\d+,\d+\): .*missing the following properties.*'User'/s)]);
  }, 120_000);

  it('reports an unannotated hook with a wrong return type where the host wires it in', () => {
    const users = [
      "import type { CreateUser, DeleteUserInput, GetUserInput, User } from '../generated/users/types.js';",
      'const user: User = { id: "1", email: "a@b.c", name: "a", createdAt: "" };',
      'export const handlers = {',
      '  async createUser(_input: CreateUser): Promise<User> { return user; },',
      '  async getUser(input: GetUserInput) { return { ...user, id: input.id, createdAt: 0 }; },',
      '  async listUsers(): Promise<User[]> { return [user]; },',
      '  async deleteUser(_input: DeleteUserInput): Promise<void> {},',
      '};',
      '',
    ].join('\n');
    const diagnostics = check({ 'hooks/users.ts': users });
    expect(diagnostics).toEqual([expect.stringMatching(/^generated\/users\/host\.ts\(\d+,\d+\): .*createdAt/s)]);
  }, 120_000);

  it('reports publishing an event the service does not declare', () => {
    const orders = replace(hook('hooks/orders.ts'), "ctx.publish('order.created'", "ctx.publish('payment.completed'");
    const diagnostics = check({ 'hooks/orders.ts': orders });
    expect(diagnostics).toEqual([expect.stringMatching(/^hooks\/orders\.ts\(\d+,\d+\): .*payment\.completed.* not assignable .*order\.created/s)]);
  }, 120_000);

  it('reports calling a client with the wrong input', () => {
    const orders = replace(hook('hooks/orders.ts'), 'getUser({ id: input.userId }', 'getUser({ userId: input.userId }');
    const diagnostics = check({ 'hooks/orders.ts': orders });
    expect(diagnostics).toEqual([expect.stringMatching(/^hooks\/orders\.ts\(\d+,\d+\): .*'userId'/s)]);
  }, 120_000);
});
