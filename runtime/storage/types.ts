// One database API over two engines (PostgreSQL through `pg`, PGlite in process): what hooks get as
// `ctx.db`, what the migrator, the outbox and the database-backed idempotency store build on.
import type { SqlQuery } from './sql.js';

/**
 * A row as the engines return it: column name to value (see README for how types come back).
 *
 * @example
 * const row: Row = { id: 'o-1', total: '12.50' };
 */
export type Row = Record<string, unknown>;

/**
 * What a statement returned.
 *
 * @example
 * const { rows, rowCount } = await db.query<{ id: string }>(sql`delete from carts where id = ${id} returning id`);
 */
export interface QueryResult<R = Row> {
  /** The rows it returned (none for a statement without RETURNING). */
  readonly rows: R[];
  /** Rows returned, or changed by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

/**
 * Anything that runs statements: a database or a transaction.
 *
 * @example
 * async function findUser(q: Queryable, id: string) {
 *   return (await q.query<{ id: string; email: string }>(sql`select id, email from users where id = ${id}`)).rows[0];
 * }
 */
export interface Queryable {
  /** Runs a query made by the `sql` tag. `R` types the rows (not checked at run time). */
  query<R = Row>(query: SqlQuery): Promise<QueryResult<R>>;
  /** Runs one statement with `$1`, `$2`, ... placeholders bound to `params` (never concatenated). */
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * Isolation of a transaction on PostgreSQL. PGlite runs one transaction at a time, which is
 * serializable whatever is asked.
 *
 * @example
 * const isolation: IsolationLevel = 'serializable';
 */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/**
 * Options of {@link Database.transaction}.
 *
 * @example
 * await db.transaction(async (tx) => { ... }, { isolation: 'serializable' });
 */
export interface TransactionOptions {
  /** Default: the server's (read committed). */
  readonly isolation?: IsolationLevel;
}

/**
 * The statements of one transaction, given to the callback of `transaction()`. Valid only while the
 * callback runs: a query after it returned is refused.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.query(sql`insert into orders (id, total) values (${id}, ${total})`);
 *   tx.afterCommit(() => relay.wake());
 * });
 */
export interface Transaction extends Queryable {
  /**
   * Runs `work` in a savepoint: its statements are undone if it throws (the error propagates, the
   * enclosing transaction continues), kept if it returns. Use the `tx` it passes; the enclosing
   * transaction's statements wait until it ends.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Calls `callback` once the top-level transaction has committed (never if it rolls back, nor if
   * the savepoint it was registered in is rolled back). Errors it throws are logged, not propagated.
   */
  afterCommit(callback: () => unknown): void;
}

/**
 * The engine behind a {@link Database}.
 *
 * @example
 * if (db.engine === 'pglite') logger.info('embedded database: one process at a time');
 */
export type DatabaseEngine = 'pg' | 'pglite';

/**
 * A service's database. Queries outside a transaction each run on their own (auto-commit).
 * A database that cannot be reached rejects with the runtime's `Unavailable` (503); a statement the
 * database refuses rejects with a `DatabaseError` carrying its SQLSTATE `code`.
 *
 * @example
 * const db = await openDatabase({ engine: 'pglite', name: 'orders' });
 * const { rows } = await db.query<{ n: number }>(sql`select ${1}::int as n`);
 */
export interface Database extends Queryable {
  readonly engine: DatabaseEngine;
  /** Whose database this is (the service's name): the name errors and logs use, never an address. */
  readonly name: string;
  /**
   * Runs `work` in a transaction: commit when it resolves, rollback when it throws (its error is
   * rethrown as is). Calling `db.query` or `db.transaction` from inside `work` is refused: use `tx`
   * (on PostgreSQL it would run outside the transaction; on PGlite it would wait for it forever).
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The transaction (or savepoint) whose callback is running in this async context, if any. */
  current(): Transaction | undefined;
  /** True when a trivial query answers within the ping timeout; never rejects. For readiness. */
  ping(): Promise<boolean>;
  /** Waits for running statements, then closes every connection; queries afterwards are Unavailable. */
  close(): Promise<void>;
}
