// The generated Dockerfile's steps, replayed without a container engine: a user project (meshspec
// installed from the tarball `npm pack` makes, then `meshspec init --example shop`) is the build context; each stage is a scratch folder standing for its WORKDIR; COPY copies what the
// Dockerfile names through the ignore file's filter (COPY --from from the earlier stage's folder);
// RUN runs its command there (npm from npm's cache) except apt-get; then the ENTRYPOINT, with a
// service's name, as the USER (uid 1000 when the test runs as root) and with the stage's ENV, must
// answer /ready and stop on SIGTERM with exit 0. tini comes from apt-get in the image: when the
// machine has no /usr/bin/tini the entry runs without it, and the test says so.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inContext, parseDockerfile, execForm, type Stage } from '../../support/dockerfile.js';
import { command, emptyFolder, npmEnv, packTarball } from '../../support/package.js';
import { eventually, freePort, http } from '../../support/processes.js';
import { createServiceDatabases, type ServiceDatabases } from '../../support/service-databases.js';
import { filesUnder } from '../../../generator/cli/build/assets.js';

const folders: string[] = [];
let project: string;
let databases: ServiceDatabases | undefined;
const timings: string[] = [];

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push(`${what} ${((performance.now() - started) / 1000).toFixed(1)}s`);
  }
}

async function folder(name: string): Promise<string> {
  const made = await emptyFolder(name);
  folders.push(made);
  chmodSync(made, 0o755); // the runtime user (uid 1000) reads the code
  return made;
}

/** The build context: a project as a user makes it, `npm install meshspec` then `meshspec init --example shop`. */
async function userProject(): Promise<string> {
  const tarball = await timed('npm pack', packTarball);
  folders.push(path.dirname(tarball.file));
  const root = await folder('image-context');
  const installed = await timed('npm install meshspec', () => command(root, 'npm', ['install', tarball.file]));
  expect(installed.code, installed.output).toBe(0);
  // init generates and runs npm install (its devDependencies): the project's package-lock.json is complete.
  const init = await timed('meshspec init --example shop', () => command(root, path.join(root, 'node_modules/.bin/meshspec'), ['init', '--example', 'shop']));
  expect(init.code, init.output).toBe(0);
  expect(existsSync(path.join(root, 'generated/Dockerfile'))).toBe(true);
  return root;
}

/** What a stage left: its folder, environment, user and entry. */
interface ReplayedStage {
  folder: string;
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  entrypoint: string[];
  cmd: string[];
  skipped: string[];
}

async function replay(stage: Stage, context: string, ignore: string, earlier: Map<string, ReplayedStage>): Promise<ReplayedStage> {
  const done: ReplayedStage = { folder: await folder(`stage-${stage.name}`), workdir: '/', env: {}, user: null, entrypoint: [], cmd: [], skipped: [] };
  for (const instruction of stage.instructions) {
    const args = instruction.args;
    switch (instruction.keyword) {
      case 'WORKDIR':
        done.workdir = args; // the stage's folder stands for it
        break;
      case 'ENV': {
        const [name = '', value = ''] = args.split('=');
        done.env[name] = value;
        break;
      }
      case 'COPY': {
        const parts = args.split(/\s+/);
        const destination = inFolder(done, parts.pop()!);
        const from = instruction.flags['from'];
        for (const source of parts) {
          if (from === undefined) copyFromContext(context, ignore, source, destination);
          else {
            const stage = earlier.get(from)!;
            cpSync(inFolder(stage, source), destination, { recursive: true });
          }
        }
        break;
      }
      case 'RUN':
        if (args.startsWith('apt-get')) done.skipped.push(args);
        else {
          const ran = await timed(`RUN ${args.slice(0, 40)} (${stage.name})`, () => command(done.folder, 'sh', ['-c', args], 300_000));
          expect(ran.code, `${args}\n${ran.output}`).toBe(0);
        }
        break;
      case 'USER':
        done.user = args;
        break;
      case 'ENTRYPOINT':
        done.entrypoint = execForm(instruction)!;
        break;
      case 'CMD':
        done.cmd = execForm(instruction)!;
        break;
      default:
        throw new Error(`the replay does not know ${instruction.keyword}: teach it`);
    }
  }
  return done;
}

/** A path in the image (absolute, or relative to the WORKDIR) as a path in the stage's folder. */
function inFolder(stage: ReplayedStage, imagePath: string): string {
  const absolute = path.posix.resolve(stage.workdir, imagePath);
  const relative = path.posix.relative(stage.workdir, absolute);
  if (relative.startsWith('..')) throw new Error(`${imagePath} is outside the WORKDIR ${stage.workdir}`);
  return path.join(stage.folder, relative) + (imagePath.endsWith('/') ? '/' : '');
}

/** COPY from the build context: a file, or a folder's contents, each file only if the ignore file lets it in. */
function copyFromContext(context: string, ignore: string, source: string, destination: string): void {
  const clean = source.replace(/\/$/, '');
  const isFolder = statSync(path.join(context, clean)).isDirectory();
  const files = isFolder ? filesUnder(context, clean).map((f) => f.split(path.sep).join('/')) : [clean];
  for (const file of files.filter((f) => inContext(ignore, f))) {
    const target = isFolder ? path.join(destination, path.relative(clean, file)) : path.join(destination, path.basename(file));
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(context, file), target);
  }
}

/** The entry as the image would run it: uid/gid 1000 for USER node when this test may switch users. */
function runEntry(stage: ReplayedStage, args: string[], env: Record<string, string>) {
  let argv = [...stage.entrypoint, ...args];
  if (argv[0] === '/usr/bin/tini' && !existsSync('/usr/bin/tini')) {
    // CI installs tini (.ci/run): there the image's real entry must be what runs.
    if (process.env['CI'] === 'true') throw new Error('/usr/bin/tini is missing: CI must install it (apt-get install tini) to run the image\'s entry');
    argv = argv.slice(argv.indexOf('--') + 1);
  }
  const asNode = stage.user === 'node' && process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : {};
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: stage.folder,
    // In the container tini is PID 1; here it is a child, and TINI_SUBREAPER gives it PID 1's part (reaping).
    env: { PATH: process.env['PATH'], HOME: '/tmp', TINI_SUBREAPER: '1', ...stage.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asNode,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output, argv };
}

let runtime: ReplayedStage;

beforeAll(async () => {
  project = await userProject();
  const file = parseDockerfile(readFileSync(path.join(project, 'generated/Dockerfile'), 'utf8'));
  const ignore = readFileSync(path.join(project, 'generated/Dockerfile.dockerignore'), 'utf8');
  const stages = new Map<string, ReplayedStage>();
  for (const stage of file.stages) stages.set(stage.name!, await replay(stage, project, ignore, stages));
  runtime = stages.get('runtime')!;
  databases = await createServiceDatabases(['users']);
}, 600_000);

afterAll(async () => {
  console.info(`Dockerfile replay: ${timings.join(', ')}`);
  await databases?.drop();
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

describe('the Dockerfile replayed in scratch folders', () => {
  it('leaves a runtime stage with production dependencies and the build output only', () => {
    expect(existsSync(path.join(runtime.folder, 'build/generated/main.js'))).toBe(true);
    expect(existsSync(path.join(runtime.folder, 'build/hooks/migrations/users/0001_init.sql'))).toBe(true);
    expect(existsSync(path.join(runtime.folder, 'node_modules/meshspec/dist/runtime/host/index.js'))).toBe(true);
    expect(existsSync(path.join(runtime.folder, 'node_modules/typescript')), 'a devDependency in the runtime stage').toBe(false);
    for (const source of ['generated', 'hooks', 'spec', 'tsconfig.json']) expect(existsSync(path.join(runtime.folder, source)), source).toBe(false);
    expect(runtime.skipped).toEqual([expect.stringMatching(/apt-get install -y --no-install-recommends tini/)]);
    expect(runtime.env['NODE_ENV']).toBe('production');
  });

  it('runs a service from the ENTRYPOINT with its name: /ready answers 200, SIGTERM stops it with exit 0', async () => {
    const port = await freePort();
    const users = runEntry(runtime, ['users'], { ...databases!.env, PORT: String(port), GRPC_PORT: 'off', EVENT_BUS: 'memory' });
    try {
      await eventually(async () => {
        if (users.child.exitCode !== null) throw new Error(`exited early:\n${users.output()}`);
        return (await http(`http://127.0.0.1:${port}/ready`).catch(() => ({ status: 0 }))).status === 200;
      }, 90_000);
    } catch (error) {
      users.child.kill('SIGKILL');
      throw error;
    }
    users.child.kill('SIGTERM');
    expect(await users.exited, users.output()).toBe(0);
    expect(users.output()).toMatch(/users stopped/);
    if (users.argv[0] !== '/usr/bin/tini') console.warn('no /usr/bin/tini on this machine: the entry ran without it (apt-get install tini to run it as the image does)');
  }, 120_000);

  it('exits 2 listing the workloads when the container gets no name', async () => {
    const bare = runEntry(runtime, [], {});
    expect(await bare.exited).toBe(2);
    expect(bare.output()).toMatch(/^no workload named: pass one of gateway, inventory, orders, payments, users/);
  }, 30_000);
});
