// `meshspec dev` as a developer runs it: the banner names the dashboard on the port asked for, every
// span of the stack reaches the dashboard's traces with the log lines written inside them (runStack
// sets up tracing with the trace store's processor and tees the log lines into it), and Ctrl-C
// closes the dashboard with the rest.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';
import { bannerUrl, eventually, freePort, http, start, type Child } from '../../support/processes.js';
import { SHOP_AUTH_ENV } from '../../support/shop-flow.js';

/** Four services opening their databases on a shared 2-core machine: generous, only a hang fails. */
const START_MS = 180_000;

let dev: Child | undefined;
afterAll(async () => {
  await dev?.stop('SIGKILL');
});

describe('meshspec dev with its dashboard', () => {
  it('prints the dashboard\'s URL, traces a call of its explorer with the log lines inside, and closes it on Ctrl-C', async () => {
    const port = await freePort();
    dev = start([path.join(repoRoot, 'bin/meshspec.js'), 'dev', '--free-ports', '--dashboard-port', String(port)], { ...SHOP_AUTH_ENV, MESH_DATA: 'memory' });
    await dev.waitFor(/Ctrl-C to stop/, START_MS);
    const dashboard = bannerUrl(dev.output(), 'dashboard');
    expect(dashboard).toBe(`http://127.0.0.1:${port}`);
    expect(dev.output()).toMatch(new RegExp(`\\n  dashboard\\s+http://127\\.0\\.0\\.1:${port}\\n`));

    // The token printed is the one the explorer sends: the gateway lets the call in.
    expect((await http(`${dashboard}/api/overview`)).body).toMatchObject({ mesh: 'shop', devToken: true, gateway: { url: bannerUrl(dev.output(), 'gateway') } });
    const call = await http(`${dashboard}/api/explorer/call`, { body: { endpoint: 'users.createUser', input: { email: `dev-${Date.now()}@example.com`, name: 'Ada' } } });
    expect(call.status).toBe(200);
    expect(call.body.status).toBe(201);
    let trace: { spans: { service: string }[]; logs: { service: string; msg: string }[] } | undefined;
    await eventually(async () => {
      const found = await http(`${dashboard}/api/traces/${call.body.traceId}`);
      trace = found.status === 200 ? found.body : undefined;
      const services = new Set(trace?.spans.map((s) => s.service));
      return services.has('gateway') && services.has('users') && (trace?.logs.length ?? 0) > 0;
    }, 20_000);
    expect(trace!.logs.some((line) => line.service === 'users')).toBe(true);

    expect(await dev.stop('SIGINT')).toBe(0);
    await expect(fetch(`${dashboard}/api/overview`)).rejects.toThrow();
  }, START_MS + 60_000);
});
