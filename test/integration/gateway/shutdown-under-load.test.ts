// Nothing lost at the edge: the shop's users service as real processes behind a gateway, 50
// keep-alive connections sending requests back to back, and SIGTERM to a service process mid-load.
// With a second instance, no request fails over the whole run: the stopping one says it is not
// ready and retires its connections, the gateway moves the load (readiness, the Connection: close
// hint, retries of what could not reach it, ejection). With one instance, the drain delay alone
// answers every request sent while it lasts.
//
// Both run with SHUTDOWN_DELAY, as a deployment should: without any delay, the listener closes at
// once, and a connection just opened whose request the service never read (still in the accept
// queue, or not yet parsed when idle connections are closed) fails like one whose service crashed
// on the request, which the gateway never retries (retry.ts): a 502 in about one run in ten here.
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoveryEnvName } from '../../../common/discovery.js';
import { gatewayConfig } from '../../../generated/gateway/routes.js';
import { freePorts, start, type Child } from '../../support/processes.js';
import { createServiceDatabases, type ServiceDatabases } from '../../support/service-databases.js';
import { closeAll, sleep, startGateway } from './helpers.js';

const CONNECTIONS = 50;

// users keeps its accounts in PostgreSQL: one fresh database, shared by its instances like replicas'.
let databases: ServiceDatabases | undefined;
beforeAll(async () => {
  databases = await createServiceDatabases(['users']);
});
afterAll(async () => {
  await databases?.drop();
});

const children: Child[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop('SIGKILL')));
  await closeAll();
});

/** A users process on free ports; every other service it might call is a port nothing listens on. */
async function startUsers(env: Record<string, string> = {}): Promise<{ child: Child; origin: string }> {
  const [httpPort, grpcPort, nowhere] = await freePorts(3);
  const elsewhere = Object.fromEntries(
    Object.keys(gatewayConfig.services).flatMap((service) => [
      [discoveryEnvName(service, 'HTTP'), `http://127.0.0.1:${nowhere}`],
      [discoveryEnvName(service, 'GRPC'), `127.0.0.1:${nowhere}`],
    ]),
  );
  const child = start(['--import', 'tsx', 'generated/users/main.ts'], {
    ...elsewhere,
    ...databases!.env,
    EVENT_BUS: 'memory',
    PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  });
  children.push(child);
  return { child, origin: `http://127.0.0.1:${httpPort}` };
}

/** Waits until `origin/ready` answers 200 (the process logs at warn only). */
async function ready(origin: string, child: Child): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(100)) {
    const ok = await fetch(`${origin}/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
  }
  throw new Error(`the service never became ready; output:\n${child.output()}`);
}

interface Load {
  /** Status of every response, by the time (ms since the load started) its request was sent. */
  readonly results: { sentAt: number; status: number }[];
  /** Requests that got no response at all (the connection failed), with the error. */
  readonly errors: string[];
  stop(): Promise<void>;
}

/** CONNECTIONS clients, each sending GET `path` back to back through its own keep-alive connection. */
function runLoad(origin: string, path: string): Load {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const started = performance.now();
  const results: Load['results'] = [];
  const errors: string[] = [];
  let running = true;
  const clients = Array.from({ length: CONNECTIONS }, async () => {
    while (running) {
      const sentAt = performance.now() - started;
      try {
        const res = await pool.request({ path, method: 'GET' });
        await res.body.dump();
        results.push({ sentAt, status: res.statusCode });
      } catch (err) {
        errors.push(String((err as { code?: string }).code ?? err));
      }
    }
  });
  return {
    results,
    errors,
    async stop() {
      running = false;
      await Promise.all(clients);
      await pool.close();
    },
  };
}

const summary = (load: Load) => {
  const byStatus: Record<number, number> = {};
  for (const { status } of load.results) byStatus[status] = (byStatus[status] ?? 0) + 1;
  return { requests: load.results.length, byStatus, errors: load.errors.slice(0, 5) };
};

describe('SIGTERM to a service under keep-alive load through the gateway', () => {
  it('loses no request with a second instance: zero 5xx, also after the first one exited', async () => {
    const [first, second] = await Promise.all([startUsers({ SHUTDOWN_DELAY: '1000' }), startUsers()]);
    await Promise.all([ready(first.origin, first.child), ready(second.origin, second.child)]);
    const gw = await startGateway(
      [{ prefix: '/api/v1/users', service: 'users', rewrite: '/users' }],
      { users: `${first.origin},${second.origin}` },
      { readinessIntervalMs: 250 },
    );
    const load = runLoad(`http://127.0.0.1:${gw.port}`, '/api/v1/users');
    await sleep(1_000);
    const exited = first.child.stop('SIGTERM');
    expect(await exited).toBe(0);
    const exitedAt = load.results.length;
    // Well after the exit: every request now goes to the second instance.
    await sleep(1_000);
    await load.stop();

    const result = summary(load);
    expect(result.errors).toEqual([]);
    expect(result.byStatus).toEqual({ 200: result.requests });
    expect(result.requests).toBeGreaterThan(200);
    expect(result.requests - exitedAt).toBeGreaterThan(50);
  }, 30_000);

  it('loses no request sent during the drain delay with one instance (SHUTDOWN_DELAY alone)', async () => {
    const delayMs = 3_000;
    const users = await startUsers({ SHUTDOWN_DELAY: String(delayMs) });
    await ready(users.origin, users.child);
    const gw = await startGateway([{ prefix: '/api/v1/users', service: 'users', rewrite: '/users' }], { users: users.origin });
    const load = runLoad(`http://127.0.0.1:${gw.port}`, '/api/v1/users');
    await sleep(1_000);
    const signalledAt = load.results.length;
    users.child.process.kill('SIGTERM');
    // Stop sending well before the delay ends (the listener closes then, and one instance has no stand-in).
    await sleep(delayMs / 2);
    await load.stop();
    const duringDrain = load.results.length - signalledAt;

    const result = summary(load);
    expect(result.errors).toEqual([]);
    expect(result.byStatus).toEqual({ 200: result.requests });
    expect(duringDrain).toBeGreaterThan(100);
    expect(await users.child.exited).toBe(0);
  }, 30_000);
});
