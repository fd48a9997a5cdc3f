// The example shop, end to end: `meshspec dev` from the CLI, driven through the gateway with real HTTP,
// with tokens signed with the JWT secret the test gives the stack. On free ports (`--free-ports`), so it
// runs beside `npm start` and other stacks on this machine; its databases are in memory (MESH_DATA=memory),
// so it neither sees nor locks the data of `npm start` in .meshspec/data.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/project.js';
import { bannerUrl, eventually, http, start, type Child } from '../support/processes.js';
import { call, cancellationReleasesStock, createUser, orderConfirmedByPayment, SHOP_AUTH_ENV, shopApi, type ShopApi } from '../support/shop-flow.js';

let dev: Child;
/** The gateway's origin, as the banner prints it. */
let origin: string;
let gateway: string;
/** The API with a token for the test's user. */
let api: ShopApi;

beforeAll(async () => {
  dev = start([path.join(repoRoot, 'bin/meshspec.js'), 'dev', '--free-ports'], { ...SHOP_AUTH_ENV, MESH_DATA: 'memory' });
  // Generous: beside shop-processes.test.ts (five more processes) on a shared 2-core machine, start-up
  // has taken a minute; only a hang fails.
  await dev.waitFor(/Ctrl-C to stop/, 180_000);
  origin = bannerUrl(dev.output(), 'gateway');
  gateway = `${origin}/api/v1`;
  api = await shopApi(gateway);
}, 190_000);

afterAll(async () => {
  await dev?.stop('SIGINT');
});

describe('the shop through the gateway', () => {
  it('creates a user, an order (orders calls users and inventory), pays, and the order is confirmed by an event', async () => {
    await orderConfirmedByPayment(api);
  });

  it('answers bad input with 400 and a message that names the problem', async () => {
    const res = await call(api, '/users', { body: { email: 'not-an-email', name: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ValidationFailed');
    expect(JSON.stringify(res.body.error)).toMatch(/email/);
    expect(JSON.stringify(res.body.error)).toMatch(/name/);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);

    const badId = await call(api, '/orders', { body: { userId: 'nope', items: [] } });
    expect(badId.status).toBe(400);
  });

  it('maps declared errors to their statuses', async () => {
    const missingUser = await call(api, '/orders', { body: { userId: '00000000-0000-4000-8000-000000000000', items: [{ productId: 'sku-mouse', quantity: 1 }] } });
    expect(missingUser.status).toBe(422);
    expect(missingUser.body.error.code).toBe('UserNotFound');

    const user = await createUser(api, 'Grace');
    const tooMany = await call(api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-monitor', quantity: 1000 }] } });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('OutOfStock');

    const noOrder = await call(api, '/orders/00000000-0000-4000-8000-000000000000');
    expect(noOrder.status).toBe(404);
    expect(noOrder.body.error.code).toBe('NotFound');

    const declined = await call(api, '/orders', { body: { userId: user.id, items: [{ productId: 'sku-mouse', quantity: 1 }] } });
    const payment = await call(api, '/payments', { body: { orderId: declined.body.id, amount: 19.5, cardToken: 'tok_declined' } });
    expect(payment.status).toBe(402);
    await eventually(async () => (await call(api, `/orders/${declined.body.id}`)).body.status === 'failed');
  });

  it('cancels a deleted user\'s pending orders through the user.deleted event', async () => {
    await cancellationReleasesStock(api);
  });

  it('asks for a token on every route but the catalogue, and takes the one meshspec dev prints', async () => {
    const anonymous = await http(`${gateway}/orders/00000000-0000-4000-8000-000000000000`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await http(`${gateway}/users`, { headers: { authorization: `Bearer ${(await shopApi(gateway)).token}x` } });
    expect(forged.status).toBe(401);
    expect((await http(`${gateway}/products`)).status).toBe(200);
    // The secret came from the environment: dev kept it and signed its token for `developer` with it.
    expect(dev.output()).not.toContain('JWT_SECRET is unset');
    await dev.waitFor(/development token \(expires/, 10_000);
    const printed = /development token \(expires in 12h\): (\S+)/.exec(dev.output())?.[1];
    expect(printed).toBeDefined();
    const developer = await call({ base: gateway, token: printed! }, '/orders/00000000-0000-4000-8000-000000000000');
    expect(developer.status).toBe(404);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await http(`${origin}/api/v2/nothing`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NotFound');
  });

  it('listens where the banner says, not on the HTTP ports the spec gives', async () => {
    // (A free gRPC port may by chance equal the spec's: those lie in the range the system hands out.)
    const mesh = parse(await readFile(path.join(repoRoot, 'spec/mesh.yaml'), 'utf8')) as { gateway: { port: number } };
    expect(Number(new URL(origin).port)).not.toBe(mesh.gateway.port);
    for (const file of await readdir(path.join(repoRoot, 'spec/services'))) {
      const spec = parse(await readFile(path.join(repoRoot, 'spec/services', file), 'utf8')) as { service: string; ports: { http: number } };
      const url = bannerUrl(dev.output(), spec.service);
      expect(Number(new URL(url).port)).not.toBe(spec.ports.http);
      expect((await http(`${url}/ready`)).status).toBe(200);
    }
  });

  it('stops cleanly on Ctrl-C', async () => {
    const code = await dev.stop('SIGINT');
    expect(code).toBe(0);
  });
});
