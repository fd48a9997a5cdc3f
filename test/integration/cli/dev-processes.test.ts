// The supervisor behind `meshspec dev --processes`, with small JavaScript entry points instead of the
// shop (no TypeScript loader, so each starts in a moment): readiness, a child that exits before or
// after the stack is up, stopping with SIGTERM and with SIGKILL for a child that ignores it, and the
// prefixed log lines.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildFailure, superviseStack, type SupervisedStack } from '../../../generator/cli/processes/supervisor.js';
import type { PlannedProcess, ProcessPlan } from '../../../generator/cli/processes/plan.js';
import { freePorts } from '../../support/processes.js';

// A service's stand-in: /ready answers 200 (after READY_AFTER_MS), a pino line and a plain line at
// start, exit 0 on SIGTERM unless IGNORE_TERM; EXIT_AFTER_MS, or a SIGUSR2, makes it exit 3 by itself.
const ENTRY = `
import { createServer } from 'node:http';
const started = Date.now();
const readyAfter = Number(process.env.READY_AFTER_MS ?? 0);
const server = createServer((req, res) => {
  res.statusCode = req.url === '/ready' && Date.now() - started >= readyAfter ? 200 : 503;
  res.end();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(JSON.stringify({ level: 'info', time: Date.now(), service: process.env.NAME, msg: 'listening', port: Number(process.env.PORT) }));
  console.error('a plain line on stderr');
});
const giveUp = () => { console.error('giving up'); process.exit(3); };
if (process.env.EXIT_AFTER_MS) setTimeout(giveUp, Number(process.env.EXIT_AFTER_MS));
process.on('SIGUSR2', giveUp);
process.on('SIGTERM', () => { if (!process.env.IGNORE_TERM) { server.close(); process.exit(0); } });
`;

let folder: string;
const stacks: SupervisedStack[] = [];
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'meshspec-processes-'));
  await writeFile(path.join(folder, 'entry.mjs'), ENTRY);
});
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  await rm(folder, { recursive: true, force: true });
});

async function plan(env: Record<string, Record<string, string>>): Promise<ProcessPlan> {
  const names = Object.keys(env);
  const ports = await freePorts(names.length);
  const services = names.map((name, i): PlannedProcess => ({
    name,
    entry: 'entry.mjs',
    env: { NAME: name, PORT: String(ports[i]), ...env[name] },
    readyUrl: `http://127.0.0.1:${ports[i]}/ready`,
  }));
  return { services, gateway: null, urls: {}, gatewayUrl: null, gatewayMetricsUrl: null };
}

function supervise(p: ProcessPlan, options: { readyTimeoutMs?: number; stopTimeoutMs?: number } = {}) {
  let printed = '';
  const stack = superviseStack(p, {
    nodeArgs: [],
    cwd: folder,
    output: { write: (text: string) => (printed += text) },
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    ...(options.readyTimeoutMs !== undefined && { readyTimeoutMs: options.readyTimeoutMs }),
  });
  stacks.push(stack);
  return { stack, printed: () => printed };
}

const running = (stack: SupervisedStack) => stack.children.filter((c) => c.exit() === null).map((c) => c.name);

describe('meshspec dev --processes: the supervisor', () => {
  it('waits for every readiness probe, prints prefixed readable lines, and stops every child with SIGTERM', async () => {
    const { stack, printed } = supervise(await plan({ users: { READY_AFTER_MS: '300' }, orders: {} }));
    await stack.ready;
    expect(running(stack)).toEqual(['users', 'orders']);
    expect(printed()).toMatch(/^\[users\] \d\d:\d\d:\d\d\.\d{3} INFO  listening port=\d+$/m);
    expect(printed()).toMatch(/^\[orders\] a plain line on stderr$/m);
    expect(await stack.stop()).toEqual({ unclean: [] });
    expect(running(stack)).toEqual([]);
  });

  it('rejects naming a child that exits before it is ready, with its last lines, and stops the others', async () => {
    const { stack } = supervise(await plan({ users: {}, orders: { READY_AFTER_MS: '600000', EXIT_AFTER_MS: '200' } }));
    const failure = await stack.ready.then(() => null, (err: unknown) => err);
    expect(failure).toBeInstanceOf(ChildFailure);
    expect((failure as ChildFailure).child).toBe('orders');
    expect((failure as ChildFailure).report()).toMatch(/^orders exited with code 3 before the stack was ready; its last lines:\n(.|\n)*  \[orders\] giving up$/);
    expect(running(stack)).toEqual([]);
  });

  it('rejects naming a child that is not ready in time', async () => {
    const { stack } = supervise(await plan({ users: { READY_AFTER_MS: '600000' } }), { readyTimeoutMs: 3000 });
    const failure = (await stack.ready.then(() => null, (err: unknown) => err)) as ChildFailure;
    // On a busy machine the child may not even listen yet when the time is up: either answer is named.
    expect(failure.message).toMatch(/^users was not ready within 3 s \(GET http:\/\/127\.0\.0\.1:\d+\/ready: (answered 503|no answer)\)$/);
    expect(running(stack)).toEqual([]);
  });

  it('reports a child that exits by itself once the stack is up', async () => {
    const { stack } = supervise(await plan({ users: {}, orders: {} }));
    await stack.ready;
    stack.children.find((c) => c.name === 'orders')!.process.kill('SIGUSR2');
    const failure = await stack.failed;
    expect(failure.child).toBe('orders');
    expect(failure.message).toBe('orders exited with code 3');
    expect(await stack.stop()).toEqual({ unclean: ['orders exited with code 3'] });
    expect(running(stack)).toEqual([]);
  });

  it('kills a child that ignores SIGTERM after the stop timeout and says so', async () => {
    const { stack } = supervise(await plan({ users: { IGNORE_TERM: '1' }, orders: {} }), { stopTimeoutMs: 500 });
    await stack.ready;
    expect(await stack.stop()).toEqual({ unclean: ['users did not stop within 1 s and was killed'] });
    expect(running(stack)).toEqual([]);
  });
});
