// `meshspec init --example shop`: the package's own example (spec/ and hooks/) in a project of its
// own, its schema lines pointing at the installed schema, generated as the repository generates it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';
import { emptyFolder } from '../../support/package.js';
import { filesBelow } from '../../support/project.js';
import { removeFolder, runInit, type InitRun } from './run-init.js';

let parent: string;
let root: string;
let run: InitRun;
let files: Map<string, string>;

beforeAll(async () => {
  parent = await emptyFolder('init');
  root = path.join(parent, 'shop');
  run = await runInit(root, '--example', 'shop', '--no-install');
  files = await filesBelow(root);
});
afterAll(() => removeFolder(parent));

const within = (dir: string) => [...files.keys()].filter((f) => f.startsWith(`${dir}/`));

describe('meshspec init --example shop', () => {
  it('writes the example\'s spec, hooks and a test of one hook besides the project files', async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the shop example in');
    const repoSpec = [...(await filesBelow(path.join(repoRoot, 'spec'))).keys()].map((f) => `spec/${f}`);
    const repoHooks = [...(await filesBelow(path.join(repoRoot, 'hooks'))).keys()].map((f) => `hooks/${f}`);
    expect(repoSpec.length).toBeGreaterThan(1);
    expect(within('spec')).toEqual(repoSpec);
    expect(within('hooks')).toEqual(repoHooks);
    expect(within('test')).toEqual(['test/inventory.test.ts']);
    for (const file of ['package.json', 'tsconfig.json', '.gitignore', 'README.md']) expect(files.has(file), file).toBe(true);
  });

  it('copies the hooks as they are and the spec with only its schema lines changed', async () => {
    for (const [file, content] of await filesBelow(path.join(repoRoot, 'hooks'))) expect(files.get(`hooks/${file}`)).toBe(content);
    for (const [file, content] of await filesBelow(path.join(repoRoot, 'spec'))) {
      const copied = files.get(`spec/${file}`)!;
      const depth = file.split('/').length; // mesh.yaml: 1, services/x.yaml: 2
      expect(copied.split('\n')[0]).toBe(`# yaml-language-server: $schema=${'../'.repeat(depth)}node_modules/meshspec/dist/meshspec.schema.json`);
      expect(copied.split('\n').slice(1)).toEqual(content.split('\n').slice(1));
    }
  });

  it('generates what the repository\'s own generated/ holds for the same spec', async () => {
    const generated = await filesBelow(path.join(repoRoot, 'generated'));
    expect(new Map(within('generated').map((f) => [f.slice('generated/'.length), files.get(f)!]))).toEqual(generated);
  });

  it('points the next steps at an endpoint of the shop', () => {
    expect(run.stdout).toMatch(/^ {2}curl -s http:\/\/localhost:8080\/api\/v1\/products +# /m);
    expect(files.get('README.md')).toContain('curl -s http://localhost:8080/api/v1/products');
  });
});
