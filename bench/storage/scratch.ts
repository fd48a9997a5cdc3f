// What the storage benchmark creates and removes: a PostgreSQL database with a random name (dropped
// at the end, even after a failure) and a random Redis key prefix (every key under it deleted).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The server's maintenance database, where the scratch database is created and dropped. */
export const ADMIN_URL = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * A database made for this run.
 *
 * @example
 * const scratch: ScratchDatabase = { name: 'meshspec_bench_ab12', url: 'postgres://postgres@127.0.0.1:5432/meshspec_bench_ab12', drop: async () => undefined };
 */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates `meshspec_bench_<random>` on the server of {@link ADMIN_URL} (env BENCH_PG_URL).
 *
 * @example
 * const scratch = await createScratchDatabase();
 * try { ... } finally { await scratch.drop(); }
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `meshspec_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      admin(async (client) => {
        // A closed pool's connections may still be ending on the server (pg's pool.end() resolves
        // first): wait for them, so that `with (force)` does not cut a closing connection, which
        // its client would log as a lost connection.
        const deadline = Date.now() + 2000;
        const connected = async () =>
          Number((await client.query(`select count(*) as n from pg_stat_activity where datname = $1`, [name])).rows[0].n);
        while ((await connected()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        await client.query(`drop database if exists ${name} with (force)`);
      }),
  };
}

async function admin(work: string | ((client: pg.Client) => Promise<void>)): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    if (typeof work === 'string') await client.query(work);
    else await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Deletes every Redis key starting with `prefix` (SCAN, never KEYS, so a shared Redis is not blocked).
 *
 * @param prefix - e.g. `meshspec-bench-ab12:` (must be non-empty: an empty prefix is refused)
 * @returns how many keys were deleted
 * @example
 * await deleteRedisPrefix('meshspec-bench-ab12:');
 */
export async function deleteRedisPrefix(prefix: string): Promise<number> {
  if (prefix.length < 8) throw new Error(`refusing to delete Redis keys under the short prefix '${prefix}'`);
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}
