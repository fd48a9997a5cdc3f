// A service started by a supervisor (`meshspec dev --processes` sets MESH_SUPERVISOR_PID) stops
// itself when the supervisor dies, even by SIGKILL, rather than keep running with its port.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';

const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A parent that starts one service as the supervisor does and prints the child's pid. */
const supervisorScript = (watch: boolean) => `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/generated/inventory/main.ts'], {
  env: { ...process.env, ${watch ? 'MESH_SUPERVISOR_PID: String(process.pid),' : ''} PORT: process.env.TEST_PORT, GRPC_PORT: 'off', EVENT_BUS: 'memory', HOST: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
child.stdout.on('data', (chunk) => { if (String(chunk).includes('inventory started')) console.log('child ' + child.pid); });
setInterval(() => undefined, 1000);
`;

async function startSupervised(watch: boolean): Promise<{ parent: number; child: number }> {
  const parent = spawn(process.execPath, ['-e', supervisorScript(watch)], {
    cwd: repoRoot,
    // Not started by npm here (npx and npm test set this): the npm parent watch would stop both children.
    env: { ...process.env, npm_lifecycle_event: '', TEST_PORT: String(await freePort()), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  pids.push(parent.pid!);
  const child = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not start')), 60_000);
    parent.stdout!.on('data', (chunk: Buffer) => {
      const match = /child (\d+)/.exec(String(chunk));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  pids.push(child);
  return { parent: parent.pid!, child };
}

describe('a service under a supervisor', () => {
  it('exits when its supervisor is SIGKILLed, and only when told to watch it', async () => {
    const watched = await startSupervised(true);
    const unwatched = await startSupervised(false);
    process.kill(watched.parent, 'SIGKILL');
    process.kill(unwatched.parent, 'SIGKILL');
    await eventually(async () => !alive(watched.child), 15_000);
    // The control: without MESH_SUPERVISOR_PID the orphan keeps running (what the watch prevents).
    expect(alive(unwatched.child)).toBe(true);
  });
});
