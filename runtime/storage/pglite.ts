// PGlite: PostgreSQL compiled to WASM, running inside this process. The embedded default (`meshspec
// dev`, tests): the same SQL as production, persisted under a data folder or kept in memory.
//
// What PGlite lacks, and what that means here (documented, not papered over):
// - One connection. Statements run one at a time, and a transaction holds the connection for its
//   whole callback: queries outside it, and other transactions, wait (never interleave). So every
//   transaction is effectively serializable, `isolation` is accepted and has no effect, and a long
//   transaction stalls the whole service (and makes ping answer false once it exceeds the ping timeout).
// - One process. Two instances writing one data folder corrupt it, and PGlite does not check: a
//   lock file (data-dir-lock.ts) refuses a second opener, in this process or another. LISTEN/NOTIFY and advisory locks only reach this instance, never another
//   process, so anything coordinating replicas (the migration lock, a relay's leadership) is only
//   in-process here: fine for a single dev process, not for replicas.
// - No statement timeout (the WASM build cannot interrupt a running statement) and no pool options.
// - CPU: queries run on this process's thread, so heavy SQL competes with the service's requests.
import { AsyncLocalStorage } from 'node:async_hooks';
import { access, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types, type ParserOptions, type PGliteOptions } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import { StartupError } from '../host/startup-error.js';
import { lockDataDir } from './data-dir-lock.js';
import { storageError } from './errors.js';
import { pgliteTemplate } from './pglite-template.js';
import { BYTEA_OID, SAME_ARRAYS_PARSED_AS_TEXT, SAME_TYPES_PARSED_AS_TEXT } from './parsers.js';
import { pingWithin } from './ping.js';
import { checkIsolation, refuseInsideTransaction, statementOf, TransactionScope, type Connection, type ScopeStorage } from './scope.js';
import type { SqlQuery } from './sql.js';
import type { Database, QueryResult, Transaction, TransactionOptions } from './types.js';

/** Defaults of {@link PgliteDatabaseOptions}. */
export const PGLITE_DEFAULTS = {
  pingTimeoutMs: 2000,
} as const;

/**
 * Options of {@link createPgliteDatabase}.
 *
 * @example
 * const options: PgliteDatabaseOptions = { name: 'orders', dataDir: '.meshspec/data/orders' };
 */
export interface PgliteDatabaseOptions {
  /** The service's name: errors and logs name "the <name> database". */
  readonly name: string;
  /** Folder the database persists in (created if missing); default none: in memory, gone on close. */
  readonly dataDir?: string;
  /** How long ping waits for `select 1` (it waits behind a running transaction); default 2000 ms. */
  readonly pingTimeoutMs?: number;
  /** Where failing after-commit callbacks are reported; default nowhere. */
  readonly logger?: Logger;
}

/**
 * A Database on PGlite, in this process. Resolves once the database is open. A fresh database (in
 * memory, or a folder without one yet) starts from the template of an initialised data directory
 * (pglite-template.ts) instead of running initdb.
 *
 * @param options - see PgliteDatabaseOptions; only `name` is required
 * @example
 * const db = await createPgliteDatabase({ name: 'orders', dataDir: '.meshspec/data/orders' });
 * await db.query(sql`select 1`);
 * await db.close();
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions): Promise<Database> {
  const { name, dataDir, logger } = options;
  let pglite: PGlite;
  let release = async () => undefined as void;
  try {
    if (dataDir !== undefined) {
      await mkdir(dataDir, { recursive: true });
      release = await lockDataDir(dataDir, name);
    }
    pglite = await openPglite(dataDir);
  } catch (err) {
    await release();
    if (err instanceof StartupError) throw err;
    throw new StartupError(
      `cannot open the ${name} database${dataDir === undefined ? ' in memory' : ` in ${dataDir}`}: ${err instanceof Error ? err.message : String(err)}`,
      { service: name },
      { cause: err },
    );
  }
  const scopes: ScopeStorage = new AsyncLocalStorage();
  let closing: Promise<void> | undefined;
  const reportAfterCommit = (err: unknown) => logger?.error({ database: name, err }, 'an after-commit callback failed');

  async function query<R>(queryOrText: SqlQuery | string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const { text, values } = statementOf(queryOrText, params);
    refuseInsideTransaction(scopes, 'db.query');
    try {
      const result = await pglite.query<R>(text, values as unknown[]);
      return { rows: result.rows, rowCount: rowCountOf(result) };
    } catch (err) {
      throw storageError(err, name);
    }
  }

  async function transaction<T>(work: (tx: Transaction) => Promise<T>, transactionOptions: TransactionOptions = {}): Promise<T> {
    refuseInsideTransaction(scopes, 'db.transaction');
    checkIsolation(transactionOptions.isolation); // then ignored: one transaction at a time is serializable

    // PGlite's own transaction() holds its transaction lock for the callback: queries outside wait.
    let workFailed: { error: unknown } | undefined;
    let committed: TransactionScope | undefined;
    let result: T;
    try {
      result = await pglite.transaction(async (ptx) => {
        const connection: Connection = {
          run: async (text, values) => {
            const r = await ptx.query(text, values as unknown[]);
            return { rows: r.rows, rowCount: rowCountOf(r) };
          },
          script: async (text) => {
            await ptx.exec(text);
          },
        };
        const scope = new TransactionScope(connection, name, scopes);
        try {
          const value = await scopes.run(scope, () => work(scope));
          await scope.end();
          committed = scope;
          return value;
        } catch (err) {
          await scope.end();
          workFailed = { error: err };
          throw err;
        }
      });
    } catch (err) {
      if (workFailed && workFailed.error === err) throw err;
      throw storageError(err, name);
    }
    (committed as TransactionScope | undefined)?.runAfterCommit(reportAfterCommit);
    return result;
  }

  return {
    engine: 'pglite',
    name,
    query: query as Database['query'],
    transaction,
    current: () => {
      const scope = scopes.getStore();
      return scope && !scope.ended ? scope : undefined;
    },
    ping: async () => !pglite.closed && (await pingWithin(() => pglite.query('select 1'), options.pingTimeoutMs ?? PGLITE_DEFAULTS.pingTimeoutMs)),
    close: () => (closing ??= (pglite.closed ? Promise.resolve() : pglite.close()).finally(release)),
  };
}

/**
 * Opens PGlite: an existing data folder as it is; a fresh one (in memory, or a folder without
 * PG_VERSION: what PGlite itself checks before running initdb) from the template. Should loading the
 * template fail, what it wrote into the folder is removed and initdb runs as it would have anyway.
 */
async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  const options: PGliteOptions = { parsers: PGLITE_PARSERS };
  if (dataDir !== undefined && (await isInitialised(dataDir))) return PGlite.create(dataDir, options);
  const before = new Set(dataDir === undefined ? [] : await readdir(dataDir));
  try {
    return await PGlite.create(dataDir, { ...options, loadDataDir: await pgliteTemplate() });
  } catch {
    if (dataDir !== undefined) {
      for (const entry of await readdir(dataDir)) {
        if (!before.has(entry)) await rm(path.join(dataDir, entry), { recursive: true, force: true });
      }
    }
    return PGlite.create(dataDir, options);
  }
}

async function isInitialised(dataDir: string): Promise<boolean> {
  return access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/** Rows returned, or changed by INSERT/UPDATE/DELETE, as `pg` counts them. */
function rowCountOf(result: { rows: unknown[]; affectedRows?: number; rowCount?: number; command?: string }): number {
  if (result.rowCount !== undefined) return result.rowCount;
  return result.affectedRows || result.rows.length;
}

const identity = (value: string) => value;

/** parsers.ts's table, in PGlite's terms. */
const PGLITE_PARSERS: ParserOptions = {
  ...Object.fromEntries([...SAME_TYPES_PARSED_AS_TEXT].map((oid) => [oid, identity])),
  ...Object.fromEntries([...SAME_ARRAYS_PARSED_AS_TEXT].map((oid) => [oid, (value: string) => types.arrayParser(value, identity, oid)])),
  // Text format `\x6869`: a Buffer, as `pg` gives.
  [BYTEA_OID]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};
