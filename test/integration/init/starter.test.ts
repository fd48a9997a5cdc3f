// `meshspec init DIR` in an empty place: the starter project, complete and generated, with the
// same bytes every time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { repoRoot } from '../../support/project.js';
import { emptyFolder } from '../../support/package.js';
import { filesBelow } from '../../support/project.js';
import { removeFolder, runInit, type InitRun } from './run-init.js';

const meshspec = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};

let parent: string;
let root: string;
let run: InitRun;
let files: Map<string, string>;

beforeAll(async () => {
  parent = await emptyFolder('init');
  root = path.join(parent, 'nested', 'Hello World'); // missing, two levels deep
  run = await runInit(root, '--no-install');
  files = await filesBelow(root);
});
afterAll(() => removeFolder(parent));

const read = (file: string) => {
  const content = files.get(file);
  if (content === undefined) throw new Error(`${file} was not written`);
  return content;
};

describe('meshspec init DIR (the starter)', () => {
  it('creates the folder and writes the project, then generates its code', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect([...files.keys()].filter((f) => !f.startsWith('generated/'))).toEqual([
      '.gitignore',
      'README.md',
      'hooks/greeter.ts',
      'package.json',
      'spec/mesh.yaml',
      'spec/services/greeter.yaml',
      'test/greeter.test.ts',
      'tsconfig.json',
    ]);
    for (const generated of ['generated/greeter/handlers.ts', 'generated/greeter/main.ts', 'generated/gateway/main.ts', 'generated/stack.ts']) {
      expect(files.has(generated), generated).toBe(true);
    }
  });

  it('leaves generated/ exactly as `meshspec generate --check` wants it', async () => {
    const check = await generate({ root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: true });
    expect(check.ok && check.upToDate).toBe(true);
  });

  it('writes a package.json with meshspec, its tools at meshspec\'s own ranges, and the scripts', () => {
    expect(JSON.parse(read('package.json'))).toEqual({
      name: 'hello-world',
      version: '0.1.0',
      private: true,
      type: 'module',
      engines: { node: '>=20' },
      scripts: {
        dev: 'meshspec dev',
        generate: 'meshspec generate',
        typecheck: 'tsc --noEmit',
        test: 'npm run typecheck && meshspec generate --check && vitest run',
        build: 'meshspec build',
      },
      dependencies: { meshspec: `^${meshspec.version}` },
      devDependencies: {
        '@types/node': meshspec.devDependencies['@types/node'],
        typescript: meshspec.devDependencies['typescript'],
        vitest: meshspec.devDependencies['vitest'],
      },
    });
  });

  it('writes a strict consumer\'s tsconfig.json and a build config that emits to dist/', () => {
    const { compilerOptions, include } = JSON.parse(read('tsconfig.json')) as { compilerOptions: Record<string, unknown>; include: string[] };
    expect(compilerOptions).toMatchObject({
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitOverride: true,
      verbatimModuleSyntax: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      types: ['node'],
    });
    expect(include).toEqual(['generated', 'hooks', 'test']);
    expect(JSON.parse(read('package.json')).scripts.build).toBe('meshspec build');
    expect(read('.gitignore').split('\n')).toContain('build/');
  });

  it('starts every spec file with the schema line for the installed package', () => {
    expect(read('spec/mesh.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/meshspec/dist/meshspec.schema.json');
    expect(read('spec/services/greeter.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../../node_modules/meshspec/dist/meshspec.schema.json');
  });

  it('names the mesh after the folder and routes the starter endpoint through the gateway', () => {
    expect(read('spec/mesh.yaml')).toMatch(/^mesh: helloworld$/m);
    expect(read('spec/mesh.yaml')).toContain('{ prefix: /api/v1/greetings, service: greeter, rewrite: /greetings }');
    expect(read('spec/services/greeter.yaml')).toMatch(/http: GET \/greetings\/\{name\}/);
  });

  it('implements the hook (no 501 stub) and tests it', () => {
    expect(read('hooks/greeter.ts')).not.toContain('NotImplemented');
    expect(read('hooks/greeter.ts')).toContain('return { message: `Hello, ${input.name}!` };');
    expect(read('test/greeter.test.ts')).toContain("await handlers.greet({ name: 'Ada' }, ctx)");
  });

  it('ignores what must not be committed, and shows the two commands in the README', () => {
    expect(read('.gitignore').split('\n')).toEqual(expect.arrayContaining(['node_modules/', 'dist/', '.meshspec/']));
    expect(read('.gitignore')).not.toContain('generated');
    expect(read('README.md')).toMatch(/^# hello-world\n/);
    expect(read('README.md')).toContain('npm run dev');
    expect(read('README.md')).toContain('npm test');
    expect(read('README.md')).toContain('curl -s http://localhost:8080/api/v1/greetings/Ada');
  });

  it('reports each file and prints the next steps, npm install first since it did not run it', () => {
    expect(run.stdout).toContain('created  package.json\n');
    expect(run.stdout).toContain('created  hooks/greeter.ts\n');
    expect(run.stdout).toMatch(/^generated generated\/: \d+ files/m);
    expect(run.stdout).not.toContain('running  npm install');
    const next = run.stdout.slice(run.stdout.indexOf('Next:'));
    expect(next.split('\n').map((line) => line.trim().split('   #')[0]!.trim())).toEqual([
      'Next:',
      `cd '${root}'`,
      'npm install',
      'npm run dev',
      'curl -s http://localhost:8080/api/v1/greetings/Ada',
      'npm test',
      '',
    ]);
  });

  it('writes the same bytes for the same folder name', async () => {
    const other = await emptyFolder('init');
    try {
      const again = await runInit(path.join(other, 'Hello World'), '--no-install');
      expect(again.code).toBe(0);
      expect(await filesBelow(path.join(other, 'Hello World'))).toEqual(files);
    } finally {
      await removeFolder(other);
    }
  });
});
