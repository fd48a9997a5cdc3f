// A service started from its generated entry point, as a container starts it, whose broker is not
// there yet: it answers /health, reports /ready 503 and keeps trying; once a Redis appears on that
// address it becomes ready without a restart. A private redis-server on a free port plays the broker
// that comes up late (the shared one on 6379 is never touched). With EVENT_BUS unset and a spec
// default of memory, a process that has events says once that they stay in the process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, healthClient, watch } from '../support/grpc-health.js';
import { eventually, freePorts, http, start, type Child } from '../support/processes.js';
import { createServiceDatabases, type ServiceDatabases } from '../support/service-databases.js';

const children: Child[] = [];
const servers: ChildProcess[] = [];
// payments keeps its payments in PostgreSQL: a fresh database for this file.
let databases: ServiceDatabases | undefined;
beforeAll(async () => {
  databases = await createServiceDatabases(['payments']);
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  for (const server of servers) server.kill('SIGKILL');
  await databases?.drop();
});

describe('a service whose broker is unreachable', () => {
  it('is alive but not ready, retries, and becomes ready when Redis comes up', async () => {
    const [httpPort, grpcPort, redisPort] = await freePorts(3);
    const payments = start(['--import', 'tsx', 'generated/payments/main.ts'], {
      ...databases!.env,
      EVENT_BUS: 'redis',
      EVENT_BUS_URL: `redis://127.0.0.1:${redisPort}`,
      EVENT_BUS_NAMESPACE: `test-${randomUUID().slice(0, 8)}`,
      PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      HOST: '127.0.0.1',
    });
    children.push(payments);
    await payments.waitFor(/payments started/);
    const base = `http://127.0.0.1:${httpPort}`;
    expect((await http(`${base}/health`)).status).toBe(200);
    expect(await http(`${base}/ready`)).toMatchObject({ status: 503, body: { status: 'not ready' } });
    await payments.waitFor(/event bus unreachable \(redis at redis:\/\/127\.0\.0\.1:\d+\): not ready; retrying/);
    // Still not ready after a few more attempts: it never falls back to memory.
    await payments.waitFor(/event bus still unreachable/);
    expect((await http(`${base}/ready`)).status).toBe(503);
    // gRPC probes and balancers see the same: NOT_SERVING, and a Watch hears when that changes.
    const health = healthClient(`127.0.0.1:${grpcPort}`);
    expect(await check(health, '')).toEqual({ status: 'NOT_SERVING' });
    const watching = watch(health, '');

    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    servers.push(redis);
    await eventually(async () => (await http(`${base}/ready`)).status === 200, 30_000);
    // Log lines reach the pipe at the end of the event-loop turn that wrote them: waited for, not raced.
    await payments.waitFor(/event bus connected: redis at redis:\/\/127\.0\.0\.1:\d+/);
    expect(await check(health, '')).toEqual({ status: 'SERVING' });
    await eventually(async () => watching.seen.join() === 'NOT_SERVING,SERVING');
    watching.stream.cancel();
    health.close();

    expect(await payments.stop('SIGTERM')).toBe(0);
  });
});

describe('a standalone process on the memory bus by default', () => {
  it('warns once that its events stay in the process, and not when EVENT_BUS=memory is chosen', async () => {
    const [port, explicitPort] = await freePorts(2);
    // The benchmark mesh's spec leaves runtime.bus at its default, memory; its inventory subscribes.
    const inventory = start(['--import', 'tsx', 'bench/generated/inventory/main.ts'], { PORT: String(port), HOST: '127.0.0.1', GRPC_PORT: 'off' });
    const chosen = start(['--import', 'tsx', 'bench/generated/inventory/main.ts'], { PORT: String(explicitPort), HOST: '127.0.0.1', GRPC_PORT: 'off', EVENT_BUS: 'memory' });
    children.push(inventory, chosen);
    // Both log their bus line after the start: the warning, or which bus they use.
    await Promise.all([inventory.waitFor(/events stay in this process/), chosen.waitFor(/"bus":"memory"/)]);
    const warnings = inventory.output().match(/events stay in this process/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(inventory.output()).toContain('set EVENT_BUS=redis or EVENT_BUS=rabbitmq (and EVENT_BUS_URL) to share them');
    expect(chosen.output()).not.toContain('events stay in this process');
    expect(await inventory.stop('SIGTERM')).toBe(0);
    expect(await chosen.stop('SIGTERM')).toBe(0);
  });
});
