// The shop keeps its data across a restart of `meshspec dev`: a user and a paid (confirmed) order made
// before Ctrl-C are read back through the gateway after the next start on the same data folder, and
// the stock the order took stays taken. The folder is a temporary one (MESH_DATA), never the
// developer's .meshspec/data, and the stack runs on free ports beside `npm start`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/project.js';
import { bannerUrl, start, type Child } from '../support/processes.js';
import { call, createUser, orderConfirmedByPayment, SHOP_AUTH_ENV, shopApi, type ShopApi } from '../support/shop-flow.js';

/** Four services opening their databases on a shared 2-core machine: generous, only a hang fails. */
const START_MS = 180_000;

let data: string;
let dev: Child | undefined;

/** `meshspec dev --free-ports` on the data folder; resolves with the API once the banner is printed. */
async function startShop(): Promise<ShopApi> {
  dev = start([path.join(repoRoot, 'bin/meshspec.js'), 'dev', '--free-ports'], { ...SHOP_AUTH_ENV, MESH_DATA: data });
  await dev.waitFor(/Ctrl-C to stop/, START_MS);
  return shopApi(`${bannerUrl(dev.output(), 'gateway')}/api/v1`);
}

beforeAll(async () => {
  data = await mkdtemp(path.join(tmpdir(), 'meshspec-shop-data-'));
});

afterAll(async () => {
  await dev?.stop('SIGKILL');
  await rm(data, { recursive: true, force: true });
});

describe('the shop across a restart of meshspec dev', () => {
  it('reads back the user, the confirmed order and the stock it took', async () => {
    const before = await startShop();
    const user = await createUser(before, 'Ada');
    const orderId = await orderConfirmedByPayment(before);
    const order = (await call(before, `/orders/${orderId}`)).body;
    const stock = (await call(before, '/products/sku-keyboard')).body.available as number;
    expect(await dev!.stop('SIGINT')).toBe(0);

    const after = await startShop();
    expect(await call(after, `/users/${user.id}`)).toMatchObject({ status: 200, body: user });
    expect(await call(after, `/orders/${orderId}`)).toMatchObject({ status: 200, body: { ...order, status: 'confirmed' } });
    // A fresh folder: the seeded 10 keyboards less the order's 2, still taken after the restart.
    expect(stock).toBe(8);
    expect((await call(after, '/products/sku-keyboard')).body.available).toBe(stock);
    expect(await dev!.stop('SIGINT')).toBe(0);
  }, 2 * START_MS + 60_000);
});
