// The transaction object both engines hand to callbacks: statements in order on one connection,
// savepoints for nested transactions, after-commit callbacks, and the checks that turn the two
// classic mistakes (a query on an ended transaction; a query on the database, or on an enclosing
// transaction, from inside a callback) into a clear error instead of a query outside the
// transaction or a wait that never ends.
import { AsyncLocalStorage } from 'node:async_hooks';
import { storageError, TransactionMisuse } from './errors.js';
import { SqlQuery } from './sql.js';
import type { QueryResult, Transaction } from './types.js';

/**
 * One connection's statements, as an engine provides them to the shared transaction code.
 *
 * @example
 * const connection: Connection = { run: (text, values) => client.query(text, values), script: (text) => client.query(text) };
 */
export interface Connection {
  /** One statement with parameters; rejects with the driver's own error. */
  run(text: string, values: readonly unknown[]): Promise<QueryResult<unknown>>;
  /** Several statements without parameters (a migration file); rejects with the driver's own error. */
  script(text: string): Promise<void>;
}

/**
 * Where a database keeps the transaction running in each async context (one per Database instance).
 *
 * @example
 * const scopes: ScopeStorage = new AsyncLocalStorage();
 */
export type ScopeStorage = AsyncLocalStorage<TransactionScope>;

/**
 * Runs functions one after another, in call order: the statements of one transaction scope.
 *
 * @example
 * const lock = new SerialLock();
 * await Promise.all([lock.run(first), lock.run(second)]); // second starts when first has settled
 */
export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  /**
   * @param fn - started once everything queued before it has settled
   * @example
   * await lock.run(() => connection.run('select 1', []));
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/**
 * The statement text and parameters of `query`'s two call forms.
 *
 * @param query - a `sql` query or a statement text
 * @param params - the parameters of a statement text; default none
 * @example
 * statementOf(sql`select ${1}`); // { text: 'select $1', values: [1] }
 */
export function statementOf(query: SqlQuery | string, params: readonly unknown[] = []): { text: string; values: readonly unknown[] } {
  if (query instanceof SqlQuery) return { text: query.text, values: query.values };
  if (typeof query !== 'string') throw new TypeError('query takes a sql`...` query or a statement text with $1, $2, ... placeholders');
  return { text: query, values: params };
}

const ISOLATION_LEVELS: ReadonlySet<unknown> = new Set(['read committed', 'repeatable read', 'serializable']);

/**
 * Throws a TypeError for an isolation level PostgreSQL does not have (both engines check, so a typo
 * found in development is not first found in production).
 *
 * @param isolation - TransactionOptions.isolation; undefined passes
 * @example
 * checkIsolation('serializable'); // passes
 */
export function checkIsolation(isolation: unknown): void {
  if (isolation !== undefined && !ISOLATION_LEVELS.has(isolation)) {
    throw new TypeError(`unknown isolation level '${String(isolation)}': use 'read committed', 'repeatable read' or 'serializable'`);
  }
}

/**
 * Throws when code running inside one of this database's open transaction callbacks uses the
 * database itself.
 *
 * @param storage - the database's scope storage
 * @param what - the call refused, for the message (`db.query`)
 * @example
 * refuseInsideTransaction(scopes, 'db.query');
 */
export function refuseInsideTransaction(storage: ScopeStorage, what: string): void {
  const scope = storage.getStore();
  if (scope && !scope.ended) {
    throw new TransactionMisuse(
      `${what} was called inside a transaction's callback: use the callback's tx (on PostgreSQL it would run outside the transaction, on PGlite it would wait for the transaction forever)`,
    );
  }
}

/**
 * A transaction (depth 0) or a savepoint in one (depth > 0) over one connection.
 *
 * @param connection - the transaction's connection
 * @param database - the service's database name, for errors
 * @param storage - the database's scope storage (savepoints run their callback in it)
 * @param parent - the enclosing scope of a savepoint
 * @example
 * const scope = new TransactionScope(connection, 'orders', scopes);
 * const result = await scopes.run(scope, () => work(scope));
 * await scope.end();
 */
export class TransactionScope implements Transaction {
  readonly #connection: Connection;
  readonly #database: string;
  readonly #storage: ScopeStorage;
  readonly #parent: TransactionScope | undefined;
  readonly #depth: number;
  readonly #lock = new SerialLock();
  #afterCommit: (() => unknown)[] = [];
  #child: TransactionScope | undefined;
  #ended = false;

  constructor(connection: Connection, database: string, storage: ScopeStorage, parent?: TransactionScope) {
    this.#connection = connection;
    this.#database = database;
    this.#storage = storage;
    this.#parent = parent;
    this.#depth = parent ? parent.#depth + 1 : 0;
  }

  /** True once its callback has returned or thrown. */
  get ended(): boolean {
    return this.#ended;
  }

  query<R>(query: SqlQuery | string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const { text, values } = statementOf(query, params);
    this.#checkUsable('query');
    return this.#lock.run(() => this.#run(text, values)) as Promise<QueryResult<R>>;
  }

  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    this.#checkUsable('transaction');
    return this.#lock.run(async () => {
      const savepoint = `meshspec_savepoint_${this.#depth + 1}`;
      await this.#run(`savepoint ${savepoint}`, []);
      const child = new TransactionScope(this.#connection, this.#database, this.#storage, this);
      this.#child = child;
      try {
        const result = await this.#storage.run(child, () => work(child));
        await child.end();
        await this.#run(`release savepoint ${savepoint}`, []);
        this.#afterCommit.push(...child.#afterCommit);
        return result;
      } catch (err) {
        await child.end();
        // The error that ended the savepoint is the one to report; a failed rollback shows up in the next statement.
        await this.#run(`rollback to savepoint ${savepoint}`, []).catch(() => undefined);
        throw err;
      } finally {
        this.#child = undefined;
      }
    });
  }

  afterCommit(callback: () => unknown): void {
    this.#checkUsable('afterCommit');
    if (typeof callback !== 'function') throw new TypeError('afterCommit takes a function');
    this.#afterCommit.push(callback);
  }

  /** Several statements without parameters, in this transaction (the migrator's files). */
  script(text: string): Promise<void> {
    this.#checkUsable('script');
    return this.#lock.run(async () => {
      try {
        await this.#connection.script(text);
      } catch (err) {
        throw storageError(err, this.#database);
      }
    });
  }

  /** Refuses further statements, once the ones already queued have run. */
  async end(): Promise<void> {
    this.#ended = true;
    await this.#lock.run(async () => undefined);
  }

  /**
   * Calls the after-commit callbacks of a committed top-level transaction, each on its own: one
   * that throws (or rejects) is reported to `onError` and the rest still run.
   *
   * @param onError - told about each failing callback
   */
  runAfterCommit(onError: (err: unknown) => void): void {
    for (const callback of this.#afterCommit.splice(0)) {
      try {
        const returned = callback();
        if (returned instanceof Promise) returned.catch(onError);
      } catch (err) {
        onError(err);
      }
    }
  }

  async #run(text: string, values: readonly unknown[]): Promise<QueryResult<unknown>> {
    try {
      return await this.#connection.run(text, values);
    } catch (err) {
      throw storageError(err, this.#database);
    }
  }

  #checkUsable(what: string): void {
    if (this.#ended) {
      throw new TransactionMisuse(`tx.${what} after the transaction's callback returned: the transaction has ended (await every query inside the callback)`);
    }
    // Inside a savepoint's callback the enclosing scope is busy until the savepoint ends: waiting for it would never end.
    for (let scope = this.#storage.getStore(); scope; scope = scope.#parent) {
      if (scope === this.#child) {
        throw new TransactionMisuse(`tx.${what} on an enclosing transaction inside a savepoint's callback: use the tx the savepoint's callback received`);
      }
    }
  }
}
