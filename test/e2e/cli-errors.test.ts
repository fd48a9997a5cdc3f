// Mistakes a user can make, seen from the command line: a clear message and a non-zero exit, never
// a stack trace, and nothing written.
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject, type TempProject } from '../support/project.js';
import { freePorts, meshspecIn } from '../support/processes.js';

let project: TempProject;
const STACK_FRAME = /\n\s+at .+:\d+:\d+\)?\n/;

beforeAll(async () => {
  project = await tempProject('cli-errors');
  expect(await meshspecIn(project.root, 'generate').exited).toBe(0);
});
afterAll(async () => {
  await project.remove();
});

describe('the CLI on user errors', () => {
  it('reports a typo in a reference with file:line:col and a suggestion, exits 1 and writes nothing', async () => {
    const before = await project.snapshot('generated');
    const file = project.file('spec/services/orders.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('input: CreateOrder\n', 'input: CreateOrdr\n'));
    try {
      const run = meshspecIn(project.root, 'generate');
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/^spec\/services\/orders\.yaml:\d+:\d+: error unknown-type: type `CreateOrdr` is not declared; did you mean `CreateOrder`\?$/m);
      expect(run.output()).toContain('nothing was written');
      expect(await project.snapshot('generated')).toEqual(before);
    } finally {
      await writeFile(file, original);
    }
  });

  it('answers a wrong flag with usage and exit 2', async () => {
    const run = meshspecIn(project.root, 'generate', '--output', 'x');
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/Unknown option '--output'/);
    expect(run.output()).toContain('Usage: meshspec generate');
  });

  it('reports a hook that does not load as the user\'s error, with its place, and exits 1', async () => {
    const hook = project.file('hooks/payments.ts');
    const original = await readFile(hook, 'utf8');
    await appendFile(hook, '\nthrow new Error(\'PAYMENTS_KEY is not set\');\n');
    try {
      // Free ports: should the hook load after all, the stack must not take the example's ports.
      const run = meshspecIn(project.root, 'dev', '--free-ports');
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/cannot load the stack .*PAYMENTS_KEY is not set\nat .*hooks\/payments\.ts:\d+:\d+/);
      expect(run.output()).not.toContain('internal error');
      expect(run.output()).not.toMatch(STACK_FRAME);
    } finally {
      await writeFile(hook, original);
    }
  }, 60_000);

  it('refuses to start on a port that is taken, naming the port and where to change it, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    // Every port of the copy is free but the users service's HTTP port, which the blocker holds: the
    // stack stops there whatever order its services start in, and never touches the example's ports.
    const services = (await readdir(project.file('spec/services'))).map((f) => `spec/services/${f}`);
    const originals = new Map<string, string>();
    for (const file of ['spec/mesh.yaml', ...services]) originals.set(file, await project.read(file));
    const free = await freePorts(1 + 2 * services.length);
    await writeFile(project.file('spec/mesh.yaml'), originals.get('spec/mesh.yaml')!.replace(/^(gateway:\n  port: )\d+$/m, `$1${free.pop()}`));
    for (const file of services) {
      const text = originals.get(file)!.replace(/^ports: \{ http: \d+(, grpc: \d+)? \}$/m, (_, grpc?: string) => {
        const http = file === 'spec/services/users.yaml' ? taken : free.pop();
        return `ports: { http: ${http}${grpc ? `, grpc: ${free.pop()}` : ''} }`;
      });
      expect(text, `${file} names its ports on one line`).not.toBe(originals.get(file));
      await writeFile(project.file(file), text);
    }
    const run = meshspecIn(project.root, 'dev');
    try {
      // A stack that starts after all ends the wait too (and fails the test) instead of hanging it.
      const outcome = await Promise.race([run.exited, run.waitFor(/Ctrl-C to stop/, 60_000).then(() => 'started', () => 'exited')]);
      expect(outcome).toBe(1);
      expect(run.output()).toContain(
        `meshspec dev: port ${taken} (users http) is already in use: stop the process holding it or change ports.http in spec/services/users.yaml`,
      );
      expect(run.output()).not.toMatch(STACK_FRAME);
    } finally {
      await run.stop('SIGKILL');
      await new Promise((resolve) => blocker.close(resolve));
      for (const [file, text] of originals) await writeFile(project.file(file), text);
    }
  }, 60_000);
});
