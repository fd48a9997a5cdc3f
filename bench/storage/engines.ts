// PGlite (in memory, in this process) against PostgreSQL (over loopback) for the two statements a
// service runs most: a transactional write (insert + commit) and a point select by primary key.
// PGlite runs one statement at a time: concurrent callers queue behind one another.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../runtime/storage/index.js';
import { driveMeasured, type MeasuredDrive } from '../support.js';
import { ORDERS_DDL } from './delivery.js';

/** Rows of the table the point select reads. */
export const PRODUCTS = 10_000;
const CAP_MS = 60_000;

/**
 * One measured operation.
 *
 * @example
 * const op: EngineOp = { name: 'point select', run: (db) => db.query('select 1').then(() => true) };
 */
export interface EngineOp {
  readonly name: string;
  run(db: Database): Promise<boolean>;
}

/** The operations, in the order the table lists them. */
export const ENGINE_OPS: readonly EngineOp[] = [
  {
    name: 'insert + commit',
    run: async (db) => {
      await db.transaction((tx) => tx.query(`insert into orders (id, customer, total) values ($1, $2, $3)`, [randomUUID(), 'c-1', 49.9]));
      return true;
    },
  },
  {
    name: 'point select',
    run: async (db) => {
      const id = 1 + Math.floor(Math.random() * PRODUCTS);
      const { rows } = await db.query(`select id, name, price from products where id = $1`, [id]);
      return rows.length === 1;
    },
  },
];

/**
 * Creates `orders` and `products` (PRODUCTS rows) in `db`.
 *
 * @param db - an empty database of either engine
 * @example
 * await prepareEngine(db);
 */
export async function prepareEngine(db: Database): Promise<void> {
  await db.query(ORDERS_DDL);
  await db.query(`create table if not exists products (id int primary key, name text not null, price numeric(12, 2) not null)`);
  await db.query(`insert into products select i, 'product ' || i, i % 100 + 0.99 from generate_series(1, $1::int) as i on conflict do nothing`, [PRODUCTS]);
  await db.query(`analyze products`);
}

/**
 * Runs `op` `count` times, `concurrency` at a time, with this process's CPU over it.
 *
 * @param db - the engine
 * @param op - the operation
 * @param count - operations (all must succeed)
 * @param concurrency - callers at once
 * @example
 * const result = await measureOp(db, ENGINE_OPS[0]!, 3000, 16);
 */
export async function measureOp(db: Database, op: EngineOp, count: number, concurrency: number): Promise<MeasuredDrive> {
  let firstError: unknown;
  const result = await driveMeasured(count, concurrency, CAP_MS, () =>
    op.run(db).catch((err: unknown) => {
      firstError ??= err;
      throw err;
    }),
  );
  if (result.errors > 0) throw new Error(`${db.engine} ${op.name}: ${result.errors} failed, first: ${String((firstError as Error)?.message ?? firstError)}`);
  return result;
}
