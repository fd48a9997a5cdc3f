// The two engines the storage suites run against: PostgreSQL on this machine (127.0.0.1:5432, or
// MESHSPEC_TEST_PG_URL: a throwaway database per call, dropped afterwards) and PGlite in memory.
// A missing PostgreSQL skips the pg cases on a developer machine and fails them under CI=true.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPgDatabase, type PgDatabaseOptions } from '../../../runtime/storage/pg.js';
import { createPgliteDatabase } from '../../../runtime/storage/pglite.js';
import type { Database } from '../../../runtime/storage/index.js';

/** The server's maintenance database, where throwaway databases are created and dropped. */
export const ADMIN_URL = process.env['MESHSPEC_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Whether PostgreSQL answers; under CI=true a missing one throws (a failure, never a skip).
 *
 * @example
 * const postgresUp = await postgresAvailable();
 * describe.skipIf(!postgresUp)('on PostgreSQL', () => { ... });
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    if (process.env['CI'] === 'true') throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} (${(err as Error).message}): CI must provide it`);
    console.warn(`PostgreSQL is not reachable at ${ADMIN_URL}: the pg cases are skipped (required when CI=true)`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database created for one test file: its URL and how to drop it. */
export interface ThrowawayDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates `meshspec_test_<random>` on the test server.
 *
 * @example
 * const scratch = await createThrowawayDatabase();
 * afterAll(() => scratch.drop());
 */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `meshspec_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** One engine as the suites see it: a fresh, empty database per `open()`, and cleanup. */
export interface EngineUnderTest {
  readonly engine: 'pg' | 'pglite';
  /** Whether it can run here (PostgreSQL may be missing outside CI). */
  readonly available: boolean;
  /** An empty database of its own. */
  open(options?: Partial<PgDatabaseOptions>): Promise<Database>;
  /** A second Database on the same data as `db` (a second replica); PGlite has none: undefined. */
  replicaOf(db: Database): Database | undefined;
  /** Closes every database opened and drops the throwaway ones. */
  cleanup(): Promise<void>;
}

/**
 * The engines, to `describe.each` over.
 *
 * @example
 * const engines = await enginesUnderTest();
 * describe.each(engines)('$engine', (engine) => { ... });
 */
export async function enginesUnderTest(): Promise<EngineUnderTest[]> {
  const postgresUp = await postgresAvailable();
  return [pgEngine(postgresUp), pgliteEngine()];
}

function pgEngine(available: boolean): EngineUnderTest {
  const opened: Database[] = [];
  const scratch: ThrowawayDatabase[] = [];
  const urls = new Map<Database, { url: string; options: Partial<PgDatabaseOptions> }>();
  return {
    engine: 'pg',
    available,
    async open(options = {}) {
      const created = await createThrowawayDatabase();
      scratch.push(created);
      const db = createPgDatabase({ name: 'orders', url: created.url, ...options });
      opened.push(db);
      urls.set(db, { url: created.url, options });
      return db;
    },
    replicaOf(db) {
      const source = urls.get(db);
      if (!source) throw new Error('not a database this engine opened');
      const replica = createPgDatabase({ name: 'orders', ...source.options, url: source.url });
      opened.push(replica);
      return replica;
    },
    async cleanup() {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      await Promise.all(scratch.splice(0).map((s) => s.drop()));
    },
  };
}

// Opening PGlite runs initdb in WASM (seconds on a busy machine), so one instance serves a file's
// tests: each open() empties its public schema (where every test's tables and meshspec_migrations
// live), and only a test that closed it gets a new one.
function pgliteEngine(): EngineUnderTest {
  let shared: { db: Database; closed: boolean } | undefined;
  return {
    engine: 'pglite',
    available: true,
    async open() {
      if (shared && !shared.closed) {
        await shared.db.query('drop schema public cascade');
        await shared.db.query('create schema public');
        return shared.db;
      }
      const db = await createPgliteDatabase({ name: 'orders' });
      const entry = { db, closed: false };
      entry.db = {
        ...db,
        close: async () => {
          entry.closed = true;
          await db.close();
        },
      };
      shared = entry;
      return entry.db;
    },
    replicaOf: () => undefined,
    async cleanup() {
      await shared?.db.close();
    },
  };
}
