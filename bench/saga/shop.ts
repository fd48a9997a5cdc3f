// The shop's stack for the saga benchmark: its four services in this process (gateway aside), calling
// each other in process through one co-located registry, orders also serving the plain sequence
// (plain.ts), on embedded PGlite (a data folder per service, as `meshspec dev` keeps them) or on
// PostgreSQL (a scratch database per service). The
// catalogue holds a few units of each product: the stock of one is raised so thousands of orders fit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type RunningStack } from 'meshspec/runtime/dev';
import { createColocatedRegistry, type ColocatedRegistry } from 'meshspec/runtime/host';
import { openDatabase, sql } from 'meshspec/runtime/storage';
import { createScratchDatabase, type ScratchDatabase } from '../storage/scratch.js';
import type { ExampleShop } from './example.js';
import { withPlainSequence } from './plain.js';

/** The product every benchmark order buys (one unit). */
export const PRODUCT_ID = 'sku-mouse';
const SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;
const STOCK = 100_000_000;

/**
 * The running shop, the registry its services share, a user to order for, and how to stop it all.
 *
 * @example
 * const shop = await startShop(await loadExample(), 'pglite');
 * await fetch(`${shop.running.urls['orders']!.http}/orders/placements`, { method: 'POST', ... });
 * await shop.stop();
 */
export interface BenchShop {
  readonly running: RunningStack;
  readonly colocated: ColocatedRegistry;
  readonly userId: string;
  stop(): Promise<void>;
}

/**
 * Starts the shop on `engine` with plenty of stock and one user.
 *
 * @param example - the example's generated modules (loadExample)
 * @param engine - `pglite` (data folders under a temporary directory) or `pg` (scratch databases on BENCH_PG_URL)
 * @example
 * const shop = await startShop(await loadExample(), 'pg');
 */
export async function startShop(example: ExampleShop, engine: 'pglite' | 'pg'): Promise<BenchShop> {
  const options = { ports: Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: null }])), logLevel: 'warn' as const, output: process.stderr };
  // The shop without its gateway, orders answering the plain sequence too (plain.ts).
  const shopStack = withPlainSequence(example);
  let running: RunningStack;
  let colocated: ColocatedRegistry;
  let cleanup: () => Promise<void>;
  if (engine === 'pglite') {
    const dataRoot = await mkdtemp(path.join(tmpdir(), 'meshspec-bench-saga-'));
    // First run: migrations. PGlite has one opener at a time, so the stock is raised between two runs.
    await (await startStack(shopStack, { ...options, data: dataRoot, env: {}, colocated: false })).close();
    const inventory = await openDatabase({ engine: 'pglite', name: 'inventory', dataDir: path.join(dataRoot, 'inventory') });
    await inventory.query(sql`update products set available = ${STOCK} where id = ${PRODUCT_ID}`);
    await inventory.close();
    colocated = createColocatedRegistry();
    running = await startStack(shopStack, { ...options, data: dataRoot, env: {}, colocated });
    cleanup = () => rm(dataRoot, { recursive: true, force: true });
  } else {
    const scratch: ScratchDatabase[] = [];
    for (const _ of SERVICES) scratch.push(await createScratchDatabase());
    const env = Object.fromEntries(SERVICES.map((s, i) => [`MESH_${s.toUpperCase()}_DATABASE_URL`, scratch[i]!.url]));
    colocated = createColocatedRegistry();
    running = await startStack(shopStack, { ...options, env, colocated });
    const inventory = await openDatabase({ engine: 'pg', name: 'inventory', url: scratch[0]!.url });
    await inventory.query(sql`update products set available = ${STOCK} where id = ${PRODUCT_ID}`);
    await inventory.close();
    cleanup = async () => void (await Promise.all(scratch.map((s) => s.drop())));
  }
  const res = await fetch(`${running.urls['users']!.http}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, name: 'Bench' }),
  });
  if (res.status !== 201) throw new Error(`creating the benchmark's user answered ${res.status}: ${await res.text()}`);
  const userId = ((await res.json()) as { id: string }).id;
  return {
    running,
    colocated,
    userId,
    async stop() {
      await running.close();
      await cleanup();
    },
  };
}
