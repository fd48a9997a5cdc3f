// A scaffolded project, resolvable: init into a folder whose node_modules/meshspec is this
// repository (what npm install would give it), then run what its own `npm test` runs, with its own
// tsconfig.json (tsc and vitest from this repository's node_modules), and send the starter's first
// request through the gateway.
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { startStack, type DevStack, type RunningStack } from '../../../runtime/dev/index.js';
import { start } from '../../support/processes.js';
import { repoRoot, tempProject, type TempProject } from '../../support/project.js';
import { runInit } from './run-init.js';

/** Runs a tool of this repository's node_modules in `cwd`, as the project's npm scripts would. */
async function tool(cwd: string, bin: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  // Variables vitest sets for its own workers would make a nested vitest think it is one.
  const unset = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('VITEST')).map((k) => [k, undefined]));
  const child = start([path.join(repoRoot, 'node_modules', bin), ...args], { ...unset, FORCE_COLOR: undefined, NO_COLOR: '1' }, cwd);
  const code = await child.exited;
  return { code, output: child.output() };
}

/** A project scaffolded by `init ...args` under the repository's .tmp/, with meshspec "installed". */
async function scaffold(name: string, ...args: string[]): Promise<TempProject> {
  const project = await tempProject(name, []);
  const run = await runInit(project.root, '--no-install', ...args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  await mkdir(project.file('node_modules'));
  await symlink(repoRoot, project.file('node_modules/meshspec'), 'dir');
  return project;
}

describe('the starter project', () => {
  let project: TempProject;
  let stack: RunningStack | undefined;
  beforeAll(async () => {
    project = await scaffold('init-starter');
  });
  afterAll(async () => {
    await stack?.close();
    await project.remove();
  });

  it('type-checks with its own strict tsconfig.json: generated code, hooks and its test', async () => {
    const { code, output } = await tool(project.root, 'typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json');
    expect(output).toBe('');
    expect(code).toBe(0);
    // The clean run covered the project's files and meshspec's, resolved through node_modules.
    const listed = (await tool(project.root, 'typescript/bin/tsc', '--listFilesOnly', '-p', 'tsconfig.json')).output.split('\n');
    for (const file of ['hooks/greeter.ts', 'test/greeter.test.ts', 'generated/greeter/main.ts', 'generated/stack.ts']) expect(listed).toContain(project.file(file));
    expect(listed).toContain(path.join(repoRoot, 'dist/runtime/index.d.ts'));
  }, 120_000);

  it('passes its own test', async () => {
    const { code, output } = await tool(project.root, 'vitest/vitest.mjs', 'run');
    expect(output).toMatch(/test\/greeter\.test\.ts/);
    expect(output).toMatch(/Tests +1 passed/);
    expect(code).toBe(0);
  }, 120_000);

  it('is what `meshspec generate --check` wants', async () => {
    const check = await generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: true });
    expect(check.ok && check.upToDate).toBe(true);
  });

  it('answers its first request through the gateway with 200', async () => {
    const { stack: definition } = (await import(pathToFileURL(project.file('generated/stack.ts')).href)) as { stack: DevStack };
    stack = await startStack(definition, { ports: { greeter: { http: 0 } }, gatewayPort: 0, logLevel: 'silent', output: { write: () => true } });
    const response = await fetch(`${stack.gatewayUrl}/api/v1/greetings/Ada`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Hello, Ada!' });
  }, 60_000);
});

describe('the shop example project', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await scaffold('init-shop', '--example', 'shop');
  });
  afterAll(() => project.remove());

  it('type-checks with its own tsconfig.json and passes its own test', async () => {
    const typecheck = await tool(project.root, 'typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json');
    expect(typecheck.output).toBe('');
    expect(typecheck.code).toBe(0);
    const test = await tool(project.root, 'vitest/vitest.mjs', 'run');
    expect(test.output).toMatch(/Tests +2 passed/);
    expect(test.code).toBe(0);
  }, 180_000);
});
