// A real PostgreSQL stopped and started again under a Database (a private server, never the shared
// one): calls answer Unavailable quickly while it is down, ping says false, the process carries on,
// and the same Database serves again once the server is back, data intact. Missing PostgreSQL
// binaries skip this on a developer machine and fail it under CI=true.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Unavailable } from '../../../runtime/errors/index.js';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import { POSTGRES_BIN, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

if (!POSTGRES_BIN && process.env['CI'] === 'true') throw new Error('no PostgreSQL binaries under /usr/lib/postgresql: CI must provide them');

describe.skipIf(!POSTGRES_BIN)('a PostgreSQL server stopped and started again', () => {
  let server: PrivatePostgres;
  let db: Database;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    db = createPgDatabase({ name: 'orders', url: server.url });
  });

  afterAll(async () => {
    await db?.close();
    await server?.destroy();
  });

  it('answers Unavailable while it is down and serves again, data intact, once it is back', async () => {
    await db.query('create table orders (id text primary key)');
    await db.query(sql`insert into orders values (${'o-1'})`);
    await server.stop();

    const started = Date.now();
    const error = await db.query('select id from orders').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unavailable);
    expect((error as Error).message).toBe('the orders database is unavailable');
    expect(Date.now() - started).toBeLessThan(2500);
    await expect(db.transaction(async (tx) => tx.query('select 1'))).rejects.toBeInstanceOf(Unavailable);
    expect(await db.ping()).toBe(false);

    await server.start();
    expect(await db.ping()).toBe(true);
    expect((await db.query<{ id: string }>('select id from orders')).rows).toEqual([{ id: 'o-1' }]);
    await db.transaction(async (tx) => {
      await tx.query(sql`insert into orders values (${'o-2'})`);
    });
    expect((await db.query('select id from orders')).rowCount).toBe(2);
  });
});
