// `npm exec -- meshspec dev` (what `npx meshspec dev` runs) stopped through npm: npm passes SIGINT and
// SIGTERM to the shell it runs the command in, not to meshspec, so without the runtime's parent watch
// the stack outlives npm with its ports held. Each case starts a one-service mesh and its gateway on
// free ports in a throwaway project, signals npm, and waits until every port is free and no process
// of the run is left. Linux only: the run's processes are found in /proc by process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '../support/processes.js';
import { repoRoot, tempProject, type TempProject } from '../support/project.js';

let project: TempProject;

beforeAll(async () => {
  // A project of its own (package.json, node_modules/meshspec -> this repository) so that npm finds
  // the command in node_modules/.bin as it does for an installed package.
  project = await tempProject('npx-signals', []);
  await writeFile(project.file('package.json'), JSON.stringify({ name: 'npx-signals', private: true, type: 'module' }));
  await mkdir(project.file('node_modules/.bin'), { recursive: true });
  await symlink(repoRoot, project.file('node_modules/meshspec'));
  await symlink('../meshspec/bin/meshspec.js', project.file('node_modules/.bin/meshspec'));
});
afterAll(async () => {
  await project?.remove();
});

/** Writes a mesh of one service (`hello`, HTTP and gRPC) behind a gateway on fresh free ports. */
async function writeSpec(): Promise<number[]> {
  const [gateway, http, grpc] = [await freePort(), await freePort(), await freePort()] as [number, number, number];
  await mkdir(project.file('spec/services'), { recursive: true });
  await writeFile(
    project.file('spec/mesh.yaml'),
    ['mesh: signals', 'version: 1.0.0', 'gateway:', `  port: ${gateway}`, '  routes:', '    - { prefix: /api/hello, service: hello, rewrite: /hello }', ''].join('\n'),
  );
  await writeFile(
    project.file('spec/services/hello.yaml'),
    [
      'service: hello',
      `ports: { http: ${http}, grpc: ${grpc} }`,
      'types:',
      '  Greeting:',
      '    fields:',
      '      text: { type: string, field: 1 }',
      'endpoints:',
      '  greet:',
      '    http: GET /hello',
      '    output: Greeting',
      '',
    ].join('\n'),
  );
  return [gateway, http, grpc];
}

/** Whether nothing listens on `port` (127.0.0.1, where `meshspec dev` binds). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Live (not zombie) processes of process group `pgid`, with their command lines. */
async function processesInGroup(pgid: number): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') continue;
      found.push({ pid: Number(entry), command: (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ').trim() });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

interface NpmRun {
  npm: ChildProcess;
  output(): string;
}

/** `npm exec -- meshspec dev` in the project, in a process group of its own; resolves once the stack is up. */
async function startThroughNpm(): Promise<NpmRun> {
  // Without the npm_* variables of an enclosing `npm test`, which would configure the inner npm.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const npm = spawn('npm', ['exec', '--', 'meshspec', 'dev'], {
    cwd: project.root,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  await Promise.race([
    eventually(async () => output.includes('Ctrl-C to stop'), 60_000),
    exited.then(() => {
      throw new Error(`npm exited before the stack was up:\n${output}`);
    }),
  ]);
  return { npm, output: () => output };
}

const cases: { signal: NodeJS.Signals; to: 'npm' | 'group' }[] = [
  { signal: 'SIGTERM', to: 'npm' },
  { signal: 'SIGINT', to: 'npm' },
  // Ctrl-C in a terminal: the whole group, meshspec included, gets SIGINT (no "second signal" exit).
  { signal: 'SIGINT', to: 'group' },
];

describe.skipIf(process.platform !== 'linux')('npm exec -- meshspec dev, stopped through npm', () => {
  it.each(cases)('$signal to $to frees every port and leaves no process', async ({ signal, to }) => {
    const ports = await writeSpec();
    const run = await startThroughNpm();
    const group = run.npm.pid!;
    try {
      const running = await processesInGroup(group);
      expect(running.some((p) => /node .*meshspec dev/.test(p.command)), JSON.stringify(running)).toBe(true);
      for (const port of ports) expect(await portIsFree(port), `port ${port} is in use while the stack runs`).toBe(false);

      process.kill(to === 'npm' ? group : -group, signal);

      const everythingStopped = async () =>
        (await processesInGroup(group)).length === 0 && (await Promise.all(ports.map(portIsFree))).every(Boolean);
      await eventually(everythingStopped, 20_000).catch(async (err: Error) => {
        const left = await processesInGroup(group);
        const free = await Promise.all(ports.map(portIsFree));
        const held = ports.filter((_, i) => !free[i]);
        throw new Error(`${err.message}: processes left ${JSON.stringify(left)}, ports in use ${held.join(', ')}\n${run.output()}`);
      });
      expect(run.output()).toMatch(/INFO {2}stopping/);
      expect(run.output()).not.toMatch(/second signal/);
    } finally {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  }, 120_000);
});
