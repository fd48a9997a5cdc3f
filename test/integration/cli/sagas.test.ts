// `meshspec sagas list|show` as a person resolving a saga runs it: the CLI in a child process, on the
// sagas fixture's spec (orders runs `placeOrder`), reading orders' saga log in a throwaway PostgreSQL
// database (MESH_ORDERS_DATABASE_URL) where an orchestrator left one completed and one compensated saga.
// A missing PostgreSQL skips these cases on a developer machine and fails them under CI=true.
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict } from '../../../runtime/errors/index.js';
import { PG_LOCATION_VARIABLES } from '../../../runtime/host/database-config.js';
import { createDatabaseSagaLog } from '../../../runtime/saga/log/database.js';
import { createSagaOrchestrator } from '../../../runtime/saga/orchestrator.js';
import type { SagaDefinition } from '../../../runtime/saga/types.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import { runToEnd } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';
import { createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from '../storage/engines.js';

const postgresUp = await postgresAvailable();
const specDir = path.join(repoRoot, 'test/fixtures/sagas/spec');
/** No database variable of the developer's shell reaches the CLI unless a test sets it. */
const noDatabaseEnv = Object.fromEntries(['MESH_DATA', 'DATABASE_URL', 'MESH_ORDERS_DATABASE_URL', ...PG_LOCATION_VARIABLES].map((v) => [v, '']));

async function sagas(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'sagas', ...args, '--spec', specDir], { ...noDatabaseEnv, ...env });
}

describe.skipIf(!postgresUp)('meshspec sagas on PostgreSQL', () => {
  let scratch: ThrowawayDatabase;
  let env: NodeJS.ProcessEnv;
  let completed: string;
  let compensated: string;

  beforeAll(async () => {
    scratch = await createThrowawayDatabase();
    env = { MESH_ORDERS_DATABASE_URL: scratch.url };
    const db = createPgDatabase({ name: 'orders', url: scratch.url });
    try {
      const placeOrder: SagaDefinition = {
        name: 'placeOrder',
        steps: [
          { name: 'reserveInventory', endpoint: 'inventory.reserve', run: async () => ({ held: true }), compensation: { endpoint: 'inventory.release', run: async () => null } },
          {
            name: 'chargePayment',
            endpoint: 'payments.charge',
            run: async (saga) => {
              if ((saga.input as { total: number }).total > 100) throw new Conflict('card declined:\nover the limit');
              return { charged: true };
            },
          },
        ],
      };
      const orchestrator = createSagaOrchestrator({ service: 'orders', sagas: [placeOrder], log: await createDatabaseSagaLog({ db }), logger: pino({ level: 'silent' }) });
      completed = await orchestrator.start('placeOrder', { total: 5 });
      compensated = await orchestrator.start('placeOrder', { total: 500 });
      await Promise.all([orchestrator.wait(completed, 10_000), orchestrator.wait(compensated, 10_000)]);
      await orchestrator.close();
    } finally {
      await db.close();
    }
  }, 60_000);

  afterAll(async () => {
    await scratch?.drop();
  });

  it('lists both sagas, newest first, and filters by state', async () => {
    const all = await sagas(['list'], env);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SERVICE\s+SAGA\s+STATE\s+AGE\s+FAILURE$/);
    expect(lines).toHaveLength(3);
    expect(all.stdout).toContain(completed);
    // The failure on one line, whatever line breaks its message holds.
    expect(lines.find((l) => l.startsWith(compensated))).toMatch(/orders\s+placeOrder\s+compensated\s+\d+s\s+chargePayment: Conflict card declined: over the limit$/);

    const stuck = await sagas(['list', '--state', 'compensated', '--json'], env);
    expect(stuck.code).toBe(0);
    expect((JSON.parse(stuck.stdout) as { id: string; service: string }[]).map((s) => [s.id, s.service])).toEqual([[compensated, 'orders']]);
    const none = await sagas(['list', '--state', 'stuck'], env);
    expect(none.stdout).toMatch(/^no sagas stuck in orders \(PostgreSQL at postgres:\/\/.*\)$/m);
  });

  it('shows one saga with its steps and compensations, and exits 1 for an id nobody has', async () => {
    const shown = await sagas(['show', compensated], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`placeOrder ${compensated} (orders): compensated`);
    expect(shown.stdout).toMatch(/failed at chargePayment: Conflict card declined: over the limit/);
    expect(shown.stdout).toMatch(/ {2}reserveInventory: succeeded, 1 attempt in \d+ ms/);
    expect(shown.stdout).toMatch(/ {2}chargePayment: failed, 1 attempt in \d+ ms, last error Conflict card declined: over the limit/);
    expect(shown.stdout).toMatch(/ {2}undo reserveInventory: succeeded/);

    const missing = await sagas(['show', 'no-such-saga'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no saga no-such-saga in orders/);
  });

  it('refuses wrong arguments with exit 2 and a database it cannot reach with one line and exit 1', async () => {
    for (const args of [['list', '--state', 'bogus'], ['list', '--limit', '0'], ['show'], ['show', 'a b'], ['list', '--service', 'ordres'], ['purge']]) {
      const run = await sagas(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await sagas(['list', '--service', 'ordres'], env)).stderr).toMatch(/did you mean `orders`/);
    const down = await sagas(['list'], { MESH_ORDERS_DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/orders' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the orders database/);
    expect(down.stderr).not.toContain('secret');
  });
});
