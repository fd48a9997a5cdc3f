// The trap of a readiness that asks the callees: one callee down would take every caller out of its
// load balancer. Here the callee stops; the caller's /ready stays 200, and GET /health/dependencies
// (diagnostic, 200 whatever the callees' state) shows the callee failing.
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../support/runtime.js';
import { captureLogger, frontHost, jsonOf, testSettings, usersHost } from './fixtures.js';

const running: RunningService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('a callee outage', () => {
  it('leaves the caller ready and shows on its dependencies report', async () => {
    const users = await startService(usersHost(), testSettings(captureLogger('users').logger));
    const front = await startService(
      frontHost(),
      testSettings(captureLogger('front').logger, { discovery: { http: { users: `http://127.0.0.1:${users.httpPort}` } } }),
    );
    running.push(front);
    const origin = `http://127.0.0.1:${front.httpPort}`;
    expect((await fetch(`${origin}/via/1`)).status).toBe(200);

    const before = await jsonOf(await fetch(`${origin}/health/dependencies`));
    expect(before.dependencies).toHaveLength(1);
    expect(before.dependencies[0]).toMatchObject({ service: 'users', breaker: 'closed', calls: { succeeded: 1, failed: 0 } });
    expect(before.dependencies[0].instances.map((i: any) => i.probe?.status)).toEqual(['ready']);

    await users.close();
    expect((await fetch(`${origin}/via/1`)).status).toBeGreaterThanOrEqual(500);

    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect((await jsonOf(ready)).status).toBe('ready');

    const report = await fetch(`${origin}/health/dependencies`);
    expect(report.status).toBe(200);
    const body = await jsonOf(report);
    expect(body.dependencies[0]).toMatchObject({ service: 'users', calls: { succeeded: 1 } });
    expect(body.dependencies[0].calls.failed).toBeGreaterThanOrEqual(1);
    expect(body.dependencies[0].instances.map((i: any) => i.probe?.status)).toEqual(['unreachable']);
    // No internal address in what anyone reaching the port may read.
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });

  it.each(['node', 'express'] as const)('answers the report with an empty list for a service that calls nobody (%s binding)', async (binding) => {
    const host = usersHost();
    const users = await startService({ ...host, definition: { ...host.definition, binding } }, testSettings(captureLogger('users').logger));
    running.push(users);
    const res = await fetch(`http://127.0.0.1:${users.httpPort}/health/dependencies`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ dependencies: [] });
    const ready = await fetch(`http://127.0.0.1:${users.httpPort}/ready`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: [{ name: 'bus', status: 'pass', critical: true }] });
  });
});
