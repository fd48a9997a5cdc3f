// Hand-written SQL migrations: the `.sql` files of one folder, applied in lexical order of their
// names (`0001_create_users.sql`, `0002_...`), each in its own transaction together with its row
// in `meshspec_migrations` (name, checksum, applied_at), so a failed file leaves nothing of itself.
//
// Replicas starting together: every step takes `pg_advisory_xact_lock` (held to the end of its
// transaction) and re-reads the table under it, so each file is applied once, by whichever replica
// gets there first; the others find it applied. On PGlite the engine runs one transaction at a time,
// which is the same lock within the process (and there is only one process per data folder).
//
// Considered: node-pg-migrate, Umzug, Postgrator, graphile-migrate. Each either needs a `pg` client
// (PGlite is not one), its own lock over a separate session, or a JS migration format; the steps
// here are a page of code over the Database API and run unchanged on both engines.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { boundText } from '../errors/index.js';
import { StartupError } from '../host/startup-error.js';
import { isDatabaseError, TransactionMisuse } from './errors.js';
import { TransactionScope } from './scope.js';
import { sql } from './sql.js';
import type { Database, Queryable, Transaction } from './types.js';

/** The table that records applied migrations. */
export const MIGRATIONS_TABLE = 'meshspec_migrations';
/** The advisory lock key every migration step takes (any constant shared by all replicas; per database). */
export const MIGRATION_LOCK_KEY = 7_206_391_514_270_455n;
/** Longest database message quoted in a MigrationError. */
const MAX_QUOTED_CHARS = 500;

/**
 * A migration that could not be applied (nothing of it was), a changed applied file, or a missing
 * folder: start-up stops with this one line.
 *
 * @param message - the line, naming the file
 * @param file - the migration's file name, when about one
 * @param database - the service's name
 * @example
 * throw new MigrationError('migration 0002_add_orders.sql failed: ...', '0002_add_orders.sql', 'orders');
 */
export class MigrationError extends StartupError {
  readonly file: string | undefined;

  constructor(message: string, file: string | undefined, database: string, options?: { cause?: unknown }) {
    super(message, { service: database }, options);
    this.name = 'MigrationError';
    this.file = file;
  }
}

/**
 * Options of {@link migrate} and {@link migrationStatus}.
 *
 * @example
 * const options: MigrateOptions = { directory: 'hooks/migrations/orders' };
 */
export interface MigrateOptions {
  /** The folder holding the `.sql` files. */
  readonly directory: string;
}

/**
 * What {@link migrate} did.
 *
 * @example
 * const { applied } = await migrate(db, { directory });
 * logger.info({ applied }, 'migrations applied');
 */
export interface MigrateReport {
  /** Files this call applied, in order (the ones another replica applied meanwhile are not listed). */
  readonly applied: string[];
  /** Files found already applied. */
  readonly upToDate: number;
}

/**
 * One migration's state: `applied` (with when), `pending`, `changed` (applied, but the file differs
 * now) or `missing` (applied, file gone).
 *
 * @example
 * for (const m of await migrationStatus(db, { directory })) console.log(m.state.padEnd(8), m.name);
 */
export interface MigrationState {
  readonly name: string;
  readonly state: 'applied' | 'pending' | 'changed' | 'missing';
  readonly appliedAt?: Date;
}

interface MigrationFile {
  readonly name: string;
  readonly text: string;
  readonly checksum: string;
}

interface AppliedRow {
  name: string;
  checksum: string;
  applied_at: Date;
}

/**
 * Applies the folder's pending migrations in order, each once across replicas. Refuses to start
 * (before applying anything) when an applied file has changed. Stops at the first failing file with
 * a MigrationError naming it and quoting the database; the files before it stay applied.
 *
 * @param db - the service's database
 * @param options - `directory`: where the `.sql` files are
 * @example
 * const { applied } = await migrate(db, { directory: 'hooks/migrations/orders' });
 */
export async function migrate(db: Database, options: MigrateOptions): Promise<MigrateReport> {
  const files = await readMigrations(options.directory, db.name);
  const applied = await locked(db, async (tx) => {
    await tx.query(`create table if not exists ${MIGRATIONS_TABLE} (name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    return appliedRows(tx);
  });
  for (const file of files) {
    const row = applied.get(file.name);
    if (row && row.checksum !== file.checksum) throw changedError(file.name, db.name);
  }
  const done: string[] = [];
  let upToDate = 0;
  for (const file of files) {
    if (applied.has(file.name)) {
      upToDate++;
      continue;
    }
    const outcome = await locked(db, async (tx) => {
      // Another replica may have applied it since the first read: the lock makes this read final.
      const [row] = (await tx.query<AppliedRow>(sql`select name, checksum, applied_at from meshspec_migrations where name = ${file.name}`)).rows;
      if (row) {
        if (row.checksum !== file.checksum) throw changedError(file.name, db.name);
        return 'found' as const;
      }
      await applyIn(tx, file, db.name);
      await tx.query(sql`insert into meshspec_migrations (name, checksum) values (${file.name}, ${file.checksum})`);
      return 'applied' as const;
    });
    if (outcome === 'applied') done.push(file.name);
    else upToDate++;
  }
  return { applied: done, upToDate };
}

/**
 * Every migration's state, in file order, then applied ones whose file is gone. Changes nothing
 * (a database never migrated lists every file as pending).
 *
 * @param db - the service's database
 * @param options - `directory`: where the `.sql` files are
 * @example
 * const pending = (await migrationStatus(db, { directory })).filter((m) => m.state === 'pending');
 */
export async function migrationStatus(db: Database, options: MigrateOptions): Promise<MigrationState[]> {
  const files = await readMigrations(options.directory, db.name);
  const [exists] = (await db.query<{ found: boolean }>(`select to_regclass('${MIGRATIONS_TABLE}') is not null as found`)).rows;
  const applied = exists?.found ? await appliedRows(db) : new Map<string, AppliedRow>();
  const states: MigrationState[] = files.map((file) => {
    const row = applied.get(file.name);
    if (!row) return { name: file.name, state: 'pending' };
    return { name: file.name, state: row.checksum === file.checksum ? 'applied' : 'changed', appliedAt: row.applied_at };
  });
  const names = new Set(files.map((f) => f.name));
  for (const row of applied.values()) {
    if (!names.has(row.name)) states.push({ name: row.name, state: 'missing', appliedAt: row.applied_at });
  }
  return states;
}

/**
 * The folder's `.sql` files sorted by name (code-unit order, locale-independent), with the SHA-256
 * of their text (line endings normalised, so a checkout with CRLF does not count as a change).
 *
 * @param directory - the migrations folder
 * @param database - the service's name, for errors
 * @example
 * const files = await readMigrations('hooks/migrations/orders', 'orders');
 */
export async function readMigrations(directory: string, database: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await readdir(directory, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.sql')).map((e) => e.name);
  } catch (err) {
    throw new MigrationError(`cannot read the ${database} migrations folder ${directory}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, database, { cause: err });
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const text = (await readFile(path.join(directory, name), 'utf8')).replace(/\r\n/g, '\n');
      return { name, text, checksum: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

/** Runs `step` in a transaction holding the migration lock. */
function locked<T>(db: Database, step: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    return step(tx);
  });
}

async function appliedRows(q: Queryable): Promise<Map<string, AppliedRow>> {
  const { rows } = await q.query<AppliedRow>(`select name, checksum, applied_at from ${MIGRATIONS_TABLE} order by name`);
  return new Map(rows.map((row) => [row.name, row]));
}

/** Runs the file's statements; a refusal becomes a MigrationError quoting the database (and the line, when it says where). */
async function applyIn(tx: Transaction, file: MigrationFile, database: string): Promise<void> {
  if (!(tx instanceof TransactionScope)) throw new TransactionMisuse('migrate needs a transaction of a database made by openDatabase');
  try {
    await tx.script(file.text);
  } catch (err) {
    if (!isDatabaseError(err)) throw err;
    const cause = err.cause as { message?: unknown } | undefined;
    const said = boundText(typeof cause?.message === 'string' ? cause.message : err.message, MAX_QUOTED_CHARS);
    const line = err.position === undefined ? '' : ` at line ${file.text.slice(0, err.position - 1).split('\n').length}`;
    throw new MigrationError(
      `migration ${file.name} of the ${database} database failed${line}: ${said} (SQLSTATE ${err.code}); nothing of it was applied`,
      file.name,
      database,
      { cause: err },
    );
  }
}

function changedError(name: string, database: string): MigrationError {
  return new MigrationError(
    `migration ${name} of the ${database} database was changed after it was applied: restore the file and add a new migration for the change`,
    name,
    database,
  );
}
