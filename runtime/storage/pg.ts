// PostgreSQL through a `pg` Pool: the production engine. Connection settings come from the options,
// else DATABASE_URL, else the standard PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
// PGDATABASE, PGSSLMODE) that `pg` reads itself. The pool connects on first use and again after the
// database comes back: nothing here needs restarting. A connection that dies (idle or checked out)
// is logged and dropped, never an unhandled 'error' event that would end the process.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Logger } from 'pino';
import { DatabaseError, SQLSTATE, storageError } from './errors.js';
import { SAME_ARRAYS_PARSED_AS_TEXT, SAME_TYPES_PARSED_AS_TEXT } from './parsers.js';
import { pingWithin } from './ping.js';
import { checkIsolation, refuseInsideTransaction, statementOf, TransactionScope, type Connection, type ScopeStorage } from './scope.js';
import type { SqlQuery } from './sql.js';
import type { Database, QueryResult, Transaction, TransactionOptions } from './types.js';

/** Defaults of {@link PgDatabaseOptions}. */
export const PG_DEFAULTS = {
  poolSize: 10,
  /** Short, so that a database that is down answers a call with 503 quickly rather than hanging it. */
  connectionTimeoutMs: 2000,
  idleTimeoutMs: 10_000,
  pingTimeoutMs: 2000,
} as const;

/**
 * Options of {@link createPgDatabase}.
 *
 * @example
 * const options: PgDatabaseOptions = { name: 'orders', poolSize: 20, statementTimeoutMs: 5000 };
 */
export interface PgDatabaseOptions {
  /** The service's name: errors and logs name "the <name> database", never its address. */
  readonly name: string;
  /** A `postgres://` URL; default `env.DATABASE_URL`, else the PG* variables. */
  readonly url?: string;
  /** Where DATABASE_URL is read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Most connections open at once; default 10. */
  readonly poolSize?: number;
  /** How long opening a connection (or waiting for a free one) may take before Unavailable; default 2000 ms. */
  readonly connectionTimeoutMs?: number;
  /** Server-side limit per statement (SQLSTATE 57014 when exceeded); default none. */
  readonly statementTimeoutMs?: number;
  /** How long an unused connection stays open; default 10 000 ms. */
  readonly idleTimeoutMs?: number;
  /** How long ping waits for `select 1`; default 2000 ms. */
  readonly pingTimeoutMs?: number;
  /** Where lost connections and failing after-commit callbacks are reported; default nowhere. */
  readonly logger?: Logger;
}

/**
 * A Database on PostgreSQL. Does not connect until the first statement (use `ping()` or `migrate()`
 * at start-up to find out).
 *
 * @param options - see PgDatabaseOptions; only `name` is required
 * @example
 * const db = createPgDatabase({ name: 'orders' }); // DATABASE_URL or PG* variables
 * await db.query(sql`select 1`);
 * await db.close();
 */
export function createPgDatabase(options: PgDatabaseOptions): Database {
  const { name, logger } = options;
  const url = options.url ?? (options.env ?? process.env)['DATABASE_URL'];
  const pool = new pg.Pool({
    ...(url ? { connectionString: url } : {}),
    max: options.poolSize ?? PG_DEFAULTS.poolSize,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? PG_DEFAULTS.connectionTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs ?? PG_DEFAULTS.idleTimeoutMs,
    ...(options.statementTimeoutMs !== undefined ? { statement_timeout: options.statementTimeoutMs } : {}),
    application_name: `meshspec:${name}`.slice(0, 63),
    keepAlive: true,
    types: { getTypeParser: pgTypeParser as never },
  });
  // Emitted for an idle connection that died; the client listener below has logged it already.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', (err) => logger?.warn({ database: name, reason: (err as Error).message }, `lost a connection to the ${name} database`));
  });
  const scopes: ScopeStorage = new AsyncLocalStorage();
  let closing: Promise<void> | undefined;

  const reportAfterCommit = (err: unknown) => logger?.error({ database: name, err }, 'an after-commit callback failed');

  async function query<R>(queryOrText: SqlQuery | string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const { text, values } = statementOf(queryOrText, params);
    refuseInsideTransaction(scopes, 'db.query');
    try {
      const result = await pool.query(text, values as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (err) {
      throw storageError(err, name);
    }
  }

  async function transaction<T>(work: (tx: Transaction) => Promise<T>, transactionOptions: TransactionOptions = {}): Promise<T> {
    refuseInsideTransaction(scopes, 'db.transaction');
    checkIsolation(transactionOptions.isolation);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw storageError(err, name);
    }
    // A connection whose state is unknown (a failed BEGIN, ROLLBACK or COMMIT) is closed, not reused.
    let discard = false;
    const connection: Connection = {
      run: async (text, values) => {
        const result = await client.query(text, values as unknown[]);
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      },
      script: async (text) => {
        await client.query(text);
      },
    };
    try {
      const isolation = transactionOptions.isolation;
      await runOrDiscard(() => client.query(isolation ? `begin isolation level ${isolation}` : 'begin'));
      const scope = new TransactionScope(connection, name, scopes);
      let result: T;
      try {
        result = await scopes.run(scope, () => work(scope));
      } catch (err) {
        await scope.end();
        await client.query('rollback').catch(() => {
          discard = true;
        });
        throw err;
      }
      await scope.end();
      const commit = await runOrDiscard(() => client.query('commit'));
      // PostgreSQL answers COMMIT of a transaction in which a statement failed (its error caught) with ROLLBACK, not an error.
      if (commit.command === 'ROLLBACK') {
        throw new DatabaseError(name, 'the transaction was rolled back at commit: a statement in it had failed', { code: SQLSTATE.inFailedTransaction });
      }
      scope.runAfterCommit(reportAfterCommit);
      return result;
    } finally {
      client.release(discard);
    }

    async function runOrDiscard<Q>(statement: () => Promise<Q>): Promise<Q> {
      try {
        return await statement();
      } catch (err) {
        discard = true;
        throw storageError(err, name);
      }
    }
  }

  return {
    engine: 'pg',
    name,
    query: query as Database['query'],
    transaction,
    current: () => {
      const scope = scopes.getStore();
      return scope && !scope.ended ? scope : undefined;
    },
    ping: () => pingWithin(() => pool.query('select 1'), options.pingTimeoutMs ?? PG_DEFAULTS.pingTimeoutMs),
    close: () => (closing ??= pool.end()),
  };
}

const TEXT_ARRAY_OID = 1009;

/** `pg`'s parsers, except for the types both engines return as text (see parsers.ts). */
function pgTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (SAME_TYPES_PARSED_AS_TEXT.has(oid)) return (value) => value;
  if (SAME_ARRAYS_PARSED_AS_TEXT.has(oid)) return pg.types.getTypeParser(TEXT_ARRAY_OID as never, 'text') as (value: string) => unknown;
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}
