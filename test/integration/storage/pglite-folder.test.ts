// PGlite persisted in a data folder: what is written survives closing and opening again (what
// `npm start` relies on), and a second opener of the same folder is refused instead of corrupting it.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StartupError } from '../../../runtime/host/startup-error.js';
import { sql } from '../../../runtime/storage/index.js';
import { LOCK_FILE } from '../../../runtime/storage/data-dir-lock.js';
import { createPgliteDatabase } from '../../../runtime/storage/pglite.js';

const parent = await mkdtemp(path.join(tmpdir(), 'meshspec-pglite-'));
afterAll(() => rm(parent, { recursive: true, force: true }));

describe('PGlite in a data folder', () => {
  it('keeps its data across close and open, and refuses a second opener while open', async () => {
    const dataDir = path.join(parent, 'orders');
    const first = await createPgliteDatabase({ name: 'orders', dataDir });
    await first.query('create table orders (id text primary key)');
    await first.query(sql`insert into orders values (${'o-1'})`);
    const second = await createPgliteDatabase({ name: 'orders', dataDir }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(StartupError);
    expect((second as Error).message).toBe(`the orders database folder ${dataDir} is already open in this process: one process at a time may use it (is another meshspec dev running?)`);
    await first.close();

    const reopened = await createPgliteDatabase({ name: 'orders', dataDir });
    try {
      expect((await reopened.query('select id from orders')).rows).toEqual([{ id: 'o-1' }]);
    } finally {
      await reopened.close();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = path.join(parent, 'users');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await rm(dataDir, { recursive: true, force: true });
    const db = await createPgliteDatabase({ name: 'users', dataDir });
    await db.close();
    await writeFile(path.join(dataDir, LOCK_FILE), `${gone.stdout}\n`);
    const again = await createPgliteDatabase({ name: 'users', dataDir });
    expect(await again.ping()).toBe(true);
    await again.close();
  });
});
