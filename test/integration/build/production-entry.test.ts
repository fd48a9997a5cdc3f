// `meshspec build` and the one entry of every workload (generated/main.ts), as production runs them:
// the example's generated code and hooks compiled into a copy of the project, then started with plain
// `node` (no tsx, no --import): a service and the gateway answer /ready, a wrong name exits 2 with the
// list, and a type error fails the build with file:line:col and leaves the previous build in place.
// The runtime comes from the package's dist/ (self-reference from the copy under .tmp/).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuildIsCurrent } from '../../support/build.js';
import { eventually, freePort, http, runToEnd, start, type Child } from '../../support/processes.js';
import { repoRoot, tempProject, type TempProject } from '../../support/project.js';

let project: TempProject;
let built: { code: number | null; stdout: string; stderr: string };
const children: Child[] = [];
/** Plain node: nothing inherited from the test runner may load a TypeScript loader. */
const plain = { NODE_OPTIONS: '', EVENT_BUS: 'memory', GRPC_PORT: 'off' };

beforeAll(async () => {
  assertBuildIsCurrent('the production entry test (the compiled code imports dist/)');
  project = await tempProject('build', ['spec', 'hooks', 'generated']);
  built = await runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'build'], {}, project.root);
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await project?.remove();
});

function run(args: string[], env: Record<string, string>): Child {
  const child = start(['build/generated/main.js', ...args], { ...plain, ...env }, project.root);
  children.push(child);
  return child;
}

async function ready(port: number, child: Child): Promise<void> {
  await eventually(async () => {
    if (child.process.exitCode !== null) throw new Error(`exited early:\n${child.output()}`);
    return (await http(`http://127.0.0.1:${port}/ready`).catch(() => ({ status: 0 }))).status === 200;
  }, 60_000);
}

describe('meshspec build', () => {
  it('compiles generated/ and hooks/ into build/ and copies the migrations and protos beside them', () => {
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^built \d+ JavaScript files and copied \d+ run-time files into build\//);
    for (const file of [
      'generated/main.js',
      'generated/users/main.js',
      'generated/gateway/main.js',
      'hooks/users.js',
      'hooks/migrations/users/0001_init.sql',
      'generated/proto/shop/users/v1/users.proto',
    ]) {
      expect(existsSync(project.file(`build/${file}`)), file).toBe(true);
    }
    expect(existsSync(project.file('build/runtime')), 'the runtime is the package\'s, not compiled here').toBe(false);
  });
});

describe('build/generated/main.js with plain node', () => {
  it('starts a service by its first argument, which answers /ready and stops on SIGTERM', async () => {
    const port = await freePort();
    const users = run(['users'], { PORT: String(port), MESH_DATA: 'memory' });
    await ready(port, users);
    expect(await users.stop('SIGTERM')).toBe(0);
    expect(users.output()).toMatch(/users stopped/);
  }, 90_000);

  it('starts the gateway named by MESH_WORKLOAD', async () => {
    const port = await freePort();
    const gateway = run([], { MESH_WORKLOAD: 'gateway', PORT: String(port), METRICS_PORT: '0', JWT_SECRET: 'a-test-secret-of-at-least-32-characters!' });
    await ready(port, gateway);
    expect(await gateway.stop('SIGTERM')).toBe(0);
  }, 90_000);

  it('exits 2 on an unknown or missing name, listing the workloads', async () => {
    const unknown = await runToEnd(['build/generated/main.js', 'nope'], plain, project.root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('unknown workload `nope`: pass one of gateway, inventory, orders, payments, users as the first argument or in MESH_WORKLOAD\n');
    const missing = await runToEnd(['build/generated/main.js'], { ...plain, MESH_WORKLOAD: '' }, project.root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^no workload named: pass one of gateway, inventory, orders, payments, users/);
  }, 30_000);
});

describe('meshspec build, called wrong', () => {
  it('refuses a build folder that holds sources, and a project not generated yet (exit 2)', async () => {
    const cli = (cwd: string, ...args: string[]) => runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'build', ...args], {}, cwd);
    for (const out of ['.', 'generated/..', 'hooks']) {
      const refused = await cli(project.root, '--out', out);
      expect(refused.code, out).toBe(2);
      expect(refused.stderr).toMatch(/would empty a folder holding sources: choose a folder of its own \(default: build\)/);
    }
    expect(existsSync(project.file('hooks/users.ts'))).toBe(true);
    const ungenerated = await cli(project.file('spec'));
    expect(ungenerated.code).toBe(2);
    expect(ungenerated.stderr).toBe('meshspec: generated/main.ts not found: run `meshspec generate` first (or pass --generated DIR)\n');
  }, 30_000);
});

describe('meshspec build on a type error', () => {
  it('reports it as file:line:col, exits 1 and leaves the previous build as it was', async () => {
    const hook = await project.read('hooks/users.ts');
    await writeFile(project.file('hooks/users.ts'), `${hook}\nexport const broken: number = 'not a number';\n`);
    const line = hook.split('\n').length + 1;
    const before = await readFile(project.file('build/hooks/users.js'), 'utf8');
    const failed = await runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'build'], {}, project.root);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^hooks/users\\.ts:${line}:14: error TS2322: Type 'string' is not assignable to type 'number'\\.$`, 'm'));
    expect(failed.stderr).toMatch(/^build failed: 1 TypeScript error$/m);
    expect(await readFile(project.file('build/hooks/users.js'), 'utf8')).toBe(before);
  }, 120_000);
});
