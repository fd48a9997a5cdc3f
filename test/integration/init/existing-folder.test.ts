// `meshspec init` where there is already something: it merges into package.json without replacing
// a script, keeps the team's tsconfig.json, .gitignore and README.md, and refuses (writing nothing)
// when a spec or a hook file is there.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyFolder } from '../../support/package.js';
import { filesBelow } from '../../support/project.js';
import { removeFolder, runInit } from './run-init.js';

let root: string;
beforeEach(async () => {
  root = await emptyFolder('init');
});
afterEach(() => removeFolder(root));

async function put(files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

const theirPackage = `{
    "name": "acme-api",
    "version": "2.3.0",
    "type": "commonjs",
    "scripts": {
        "test": "jest",
        "dev": "meshspec dev"
    },
    "dependencies": {
        "meshspec": "file:../meshspec-0.1.0.tgz",
        "zod": "^3.0.0"
    },
    "devDependencies": {
        "vitest": "^3.0.0"
    }
}
`;

describe('meshspec init in a repository that has a package.json', () => {
  it('adds missing scripts and dependencies, replaces no script and lists the ones it skipped', async () => {
    await put({ 'package.json': theirPackage });
    const run = await runInit(root, '--no-install');
    expect(run.code).toBe(0);
    const manifest = JSON.parse((await filesBelow(root)).get('package.json')!) as Record<string, Record<string, string>>;
    expect(manifest['scripts']).toEqual({
      test: 'jest',
      dev: 'meshspec dev',
      generate: 'meshspec generate',
      typecheck: 'tsc --noEmit',
      build: 'meshspec build',
    });
    // The team's meshspec (a tarball) and vitest range stay; what is missing is added.
    expect(manifest['dependencies']).toEqual({ meshspec: 'file:../meshspec-0.1.0.tgz', zod: '^3.0.0' });
    expect(Object.keys(manifest['devDependencies']!)).toEqual(['@types/node', 'typescript', 'vitest']);
    expect(manifest['devDependencies']!['vitest']).toBe('^3.0.0');
    expect(manifest['type']).toBe('module');
    expect(manifest['name']).toBe('acme-api');

    expect(run.stdout).toMatch(/^updated {2}package\.json: added scripts generate, typecheck, build; added @types\/node@\S+, typescript@\S+; "type": "module" \(was "commonjs"/m);
    expect(run.stdout).toContain('skipped  script "test": package.json\'s runs `jest`; meshspec\'s would run `npm run typecheck && meshspec generate --check && vitest run`\n');
    expect(run.stdout).not.toContain('script "dev"'); // the same command is no conflict
    // `npm test` would run jest: the next steps spell out meshspec's checks instead.
    expect(run.stdout).toMatch(/^ {2}npx tsc --noEmit && npx meshspec generate --check && npx vitest run +# /m);
  });

  it('keeps its own indentation', async () => {
    await put({ 'package.json': theirPackage });
    await runInit(root, '--no-install');
    expect((await filesBelow(root)).get('package.json')).toMatch(/^\{\n {4}"name": "acme-api",\n/);
  });

  it('leaves a package.json that has everything byte for byte as it was', async () => {
    const complete = `{"name":"done","type":"module","scripts":{"dev":"meshspec dev","generate":"meshspec generate","typecheck":"tsc","test":"t","build":"b"},"dependencies":{"meshspec":"^0.1.0"},"devDependencies":{"typescript":"*","@types/node":"*","vitest":"*"}}`;
    await put({ 'package.json': complete });
    const run = await runInit(root, '--no-install');
    expect(run.code).toBe(0);
    expect((await filesBelow(root)).get('package.json')).toBe(complete);
    expect(run.stdout).toContain('kept     package.json (nothing to add)');
  });

  it('keeps an existing tsconfig.json, .gitignore and README.md and says so', async () => {
    const theirs = { 'tsconfig.json': '{ "extends": "@acme/tsconfig" }\n', '.gitignore': 'build/\n', 'README.md': '# Acme API\n' };
    await put({ 'package.json': theirPackage, ...theirs });
    const run = await runInit(root, '--no-install');
    expect(run.code).toBe(0);
    const files = await filesBelow(root);
    for (const [file, content] of Object.entries(theirs)) {
      expect(files.get(file)).toBe(content);
      expect(run.stdout).toContain(`kept     ${file} (it exists: not changed`);
    }
    expect(run.stdout).toMatch(/kept {5}tsconfig\.json \(.*"module": "NodeNext"/);
    expect(files.has('spec/mesh.yaml')).toBe(true);
  });
});

describe('meshspec init where a spec or a hook exists', () => {
  const refusals: [string, Record<string, string>, RegExp][] = [
    ['a mesh.yaml', { 'spec/mesh.yaml': 'mesh: theirs\nversion: 1.0.0\n' }, /spec\/mesh\.yaml already exists: init writes a new spec and never writes over or beside one\. Use this spec with `meshspec generate`/],
    ['a service file only', { 'spec/services/billing.yml': 'service: billing\n' }, /spec\/services\/billing\.yml already exists/],
    ['the starter\'s hook file', { 'hooks/greeter.ts': 'export const handlers = {};\n' }, /hooks\/greeter\.ts already exists and init would replace it: move it away, or init into another folder/],
    ['a package.json that is not JSON', { 'package.json': '{ "name": "acme", }\n' }, /package\.json is not valid JSON \(.+\): fix it and run init again/],
    ['a spec folder that is a file', { spec: 'notes\n' }, /spec is a file, where init puts the spec folder/],
  ];

  for (const [what, existing, message] of refusals) {
    it(`refuses with ${what}, exits 1 and writes nothing`, async () => {
      await put(existing);
      const before = await filesBelow(root);
      const run = await runInit(root, '--no-install');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/nothing was written\n$/);
      expect(run.stdout).toBe('');
      expect(await filesBelow(root)).toEqual(before);
    });
  }

  it('reports every reason at once, and still writes nothing (not even the package.json merge)', async () => {
    await put({ 'package.json': theirPackage, 'spec/mesh.yaml': 'mesh: a\n', 'spec/services/a.yaml': 'service: a\n', 'hooks/greeter.ts': '' });
    const before = await filesBelow(root);
    const run = await runInit(root, '--no-install');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('spec/mesh.yaml, spec/services/a.yaml already exist');
    expect(run.stderr).toContain('hooks/greeter.ts already exists');
    expect(await filesBelow(root)).toEqual(before);
  });
});
