// `meshspec dev --watch` on a copy of the example: an endpoint added to orders (spec and hook) is
// served through the gateway after one reload that restarts orders alone; an invalid spec prints
// its positioned error and the stack keeps serving; a hook edit restarts its service alone, whose
// PGlite data is still there. "Restarted" is read from the services' `<name> started` log lines:
// one per start, in the one process every service of `meshspec dev` runs in.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerUrl, start, type Child } from '../support/processes.js';
import { repoRoot, tempProject, type TempProject } from '../support/project.js';
import { call, createUser, SHOP_AUTH_ENV, shopApi, type ShopApi } from '../support/shop-flow.js';
import { addCountEndpoint, breakOrdersSpec, ORDERS_SPEC } from '../support/watch-edits.js';

/** Four services opening their databases on a shared 2-core machine: generous, only a hang fails. */
const START_MS = 180_000;
const RELOAD_MS = 60_000;
const SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;

let project: TempProject;
let data: string;
let dev: Child;
let api: ShopApi;

/** How many times each service has started so far. */
function starts(): Record<string, number> {
  const output = dev.output();
  return Object.fromEntries(SERVICES.map((name) => [name, output.match(new RegExp(`^\\[${name}\\] .* ${name} started`, 'gm'))?.length ?? 0]));
}

/** Output printed after `mark` (the length of the output when it was taken). */
const since = (mark: number) => dev.output().slice(mark);

beforeAll(async () => {
  project = await tempProject('dev-watch');
  data = await mkdtemp(path.join(tmpdir(), 'meshspec-watch-data-'));
  dev = start([path.join(repoRoot, 'bin/meshspec.js'), 'dev', '--watch', '--free-ports'], { ...SHOP_AUTH_ENV, MESH_DATA: data }, project.root);
  await dev.waitFor(/^watching spec\/ and hooks\//m, START_MS);
  api = await shopApi(`${bannerUrl(dev.output(), 'gateway')}/api/v1`);
}, START_MS + 10_000);

afterAll(async () => {
  await dev?.stop('SIGKILL');
  await rm(data, { recursive: true, force: true });
  await project?.remove();
});

describe('meshspec dev --watch', () => {
  let userId: string;

  it('serves an endpoint added to orders after restarting orders alone', async () => {
    userId = (await createUser(api, 'Ada')).id;
    expect(starts()).toEqual({ inventory: 1, orders: 1, payments: 1, users: 1 });
    expect((await call(api, '/orders/count1')).status).toBe(404);

    await addCountEndpoint(project.root, 'count1');
    await dev.waitFor(/^reloaded orders\b.* in \d+ ms \(spec: 1 endpoint added\b/m, RELOAD_MS);
    expect(await call(api, '/orders/count1')).toMatchObject({ status: 200, body: { count: 0 } });
    // payments calls orders, whose existing endpoints are unchanged: it keeps running too. (Orders
    // restarts once, or twice when a loaded machine delays the second save past the debounce.)
    const { orders, ...others } = starts();
    expect(others).toEqual({ inventory: 1, payments: 1, users: 1 });
    expect(orders).toBeGreaterThanOrEqual(2);
  }, RELOAD_MS + 10_000);

  it('keeps serving on an invalid spec, prints its positioned error, and recovers on the next valid save', async () => {
    const mark = dev.output().length;
    const before = starts();
    const valid = await breakOrdersSpec(project.root);
    await dev.waitFor(/still serving the last valid spec/, RELOAD_MS);
    expect(since(mark)).toMatch(new RegExp(`^${ORDERS_SPEC.replaceAll('.', '\\.')}:\\d+:\\d+: error .*GETX /orders/\\{id\\}`, 'm'));
    expect((await call(api, '/orders/count1')).status).toBe(200);
    expect(starts()).toEqual(before);

    await writeFile(project.file(ORDERS_SPEC), valid);
    await dev.waitFor(/^regenerated: nothing to reload/m, RELOAD_MS);
    expect(starts()).toEqual(before);
  }, 2 * RELOAD_MS + 10_000);

  it('restarts a service alone on a hook edit, with its data kept', async () => {
    const before = starts();
    await appendFile(project.file('hooks/users.ts'), '\n// edited while meshspec dev --watch runs\n');
    await dev.waitFor(/^reloaded users in \d+ ms \(hooks\/users\.ts\)/m, RELOAD_MS);
    expect(starts()).toEqual({ ...before, users: before.users! + 1 });
    expect(await call(api, `/users/${userId}`)).toMatchObject({ status: 200, body: { id: userId, name: 'Ada' } });
    expect((await call(api, '/orders/count1')).status).toBe(200);
  }, RELOAD_MS + 10_000);
});
