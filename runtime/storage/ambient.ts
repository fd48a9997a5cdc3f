// The database as hooks see it (`ctx.db`). The runtime may already have opened a transaction around
// a hook (a request with an idempotency key, `ctx.once` in an event hook) so that the hook's effect
// and its idempotency record commit together. Inside it, the raw Database refuses `db.query` (on
// PostgreSQL it would run outside the transaction), so hooks get this view instead: it joins the
// transaction running in the current async context, and behaves as the database outside one.
import type { SqlQuery } from './sql.js';
import type { Database, QueryResult, Row, Transaction, TransactionOptions } from './types.js';

/**
 * Wraps a service's database so that code running inside one of its transactions joins it:
 * - `query` runs in the current transaction (or savepoint) when there is one, else on its own;
 * - `transaction(work)` opens a savepoint in the current transaction when there is one (undone
 *   alone if `work` throws; the enclosing transaction's isolation applies, `options` are ignored
 *   there), else a transaction of its own;
 * - `close` is refused: the service's host closes its database after the last request.
 *
 * @param db - the service's database
 * @returns a Database whose statements follow the ambient transaction
 * @example
 * const hookDb = ambientDatabase(db);
 * await db.transaction(async () => {
 *   await hookDb.query(sql`insert into orders (id) values (${id})`); // in the transaction above
 * });
 */
export function ambientDatabase(db: Database): Database {
  return new AmbientDatabase(db);
}

class AmbientDatabase implements Database {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get engine() {
    return this.#db.engine;
  }

  get name() {
    return this.#db.name;
  }

  query<R = Row>(query: SqlQuery | string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const target = this.#db.current() ?? this.#db;
    return typeof query === 'string' ? target.query<R>(query, params) : target.query<R>(query);
  }

  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const current = this.#db.current();
    return current ? current.transaction(work) : this.#db.transaction(work, options);
  }

  current(): Transaction | undefined {
    return this.#db.current();
  }

  ping(): Promise<boolean> {
    return this.#db.ping();
  }

  close(): Promise<void> {
    return Promise.reject(new Error(`ctx.db.close() is refused: the ${this.#db.name} database belongs to its service's host, which closes it after the last request`));
  }
}
