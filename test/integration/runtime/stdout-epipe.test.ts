// A process whose log reader is gone (its supervisor killed, `| head` satisfied) keeps working and
// exits normally: its log lines are dropped, never retried in a loop.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

const script = `
import { createLogger } from './runtime/logging/index.ts';
const logger = createLogger({ service: 'epipe', level: 'info' });
logger.info('first line');
process.stdin.once('data', () => {
  for (let i = 0; i < 1000; i++) logger.info({ i }, 'after the reader left');
  process.stderr.write('done\\n');
  process.exit(0);
});
`;

describe('the default log destination', () => {
  it('drops lines once stdout has no reader, and the process goes on and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    child.stdin.write('go\n');
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (c) => (clearTimeout(timer), resolve(c)));
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'done\n' });
  });
});
