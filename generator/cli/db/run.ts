// What `meshspec db status|migrate` does once it knows the service, its migrations folder and its
// database: opens it, runs the migrator's status or migrate, prints the outcome, closes it. Every
// failure a user can cause (a locked folder, an unreachable server, a changed or failing file) is
// one line on stderr and exit 1, never a stack.
import path from 'node:path';
import { migrate, migrationStatus, openDatabase, type Database, type MigrationState } from '../../../runtime/storage/index.js';
import { readMigrations } from '../../../runtime/storage/migrate.js';
import { complain, plural, say } from '../output.js';
import type { ChosenDatabase } from './connection.js';
import { databaseFailure } from './failure.js';

/** One `meshspec db` request, checked. */
export interface DbRequest {
  readonly action: 'status' | 'migrate';
  readonly service: string;
  /** The service's migrations folder, absolute. */
  readonly migrationsDir: string;
  readonly database: ChosenDatabase;
  readonly json: boolean;
}

/**
 * Runs the request: 0 on success, 1 when something is changed or missing (status), a file fails
 * (migrate), or the database cannot be opened or reached.
 *
 * @param request - the action, the service, its migrations folder and database, --json
 * @example
 * const code = await runDb({ action: 'status', service: 'orders', migrationsDir, database: chooseDatabase('orders', migrationsDir), json: false });
 */
export async function runDb(request: DbRequest): Promise<number> {
  const { service, database } = request;
  if (!request.json) say(`${service} database: ${database.description}`);
  try {
    // A PGlite folder not made yet has nothing applied: status need not create it (initdb takes seconds).
    if (request.action === 'status' && !database.exists) {
      const files = await readMigrations(request.migrationsDir, service);
      return printStatus(request, files.map((f) => ({ name: f.name, state: 'pending' })));
    }
    const db = await openDatabase(database.options);
    try {
      return request.action === 'status' ? printStatus(request, await migrationStatus(db, { directory: request.migrationsDir })) : await runMigrate(request, db);
    } finally {
      await db.close();
    }
  } catch (error) {
    complain(failure(error, request));
    return 1;
  }
}

function printStatus(request: DbRequest, states: readonly MigrationState[]): number {
  const count = (state: MigrationState['state']) => states.filter((s) => s.state === state).length;
  const broken = count('changed') + count('missing');
  if (request.json) {
    say(JSON.stringify({ service: request.service, database: request.database.description, migrations: states }, null, 2));
    return broken > 0 ? 1 : 0;
  }
  const width = Math.max(0, ...states.map((s) => s.name.length));
  for (const s of states) say(`${s.state.padEnd(8)} ${s.name.padEnd(width)}${s.appliedAt ? `  ${s.appliedAt.toISOString()}` : ''}`.trimEnd());
  const parts = (['applied', 'pending', 'changed', 'missing'] as const).filter((state) => count(state) > 0).map((state) => `${count(state)} ${state}`);
  say(`${plural(states.length, 'migration')}${parts.length > 0 ? `: ${parts.join(', ')}` : ` in ${shown(request.migrationsDir)}`}`);
  if (count('changed') > 0) complain(`a migration changed after it was applied: restore it and put the change in a new migration`);
  if (count('missing') > 0) complain(`an applied migration's file is gone from ${shown(request.migrationsDir)}: restore it`);
  return broken > 0 ? 1 : 0;
}

async function runMigrate(request: DbRequest, db: Database): Promise<number> {
  const pendingBefore = (await migrationStatus(db, { directory: request.migrationsDir })).filter((s) => s.state === 'pending').map((s) => s.name);
  try {
    const { applied, upToDate } = await migrate(db, { directory: request.migrationsDir });
    if (request.json) return say(JSON.stringify({ service: request.service, database: request.database.description, applied, upToDate }, null, 2)), 0;
    for (const name of applied) say(`applied  ${name}`);
    say(applied.length === 0 ? `up to date: ${plural(upToDate, 'migration')} applied before` : `${plural(applied.length, 'migration')} applied, ${upToDate} before`);
    return 0;
  } catch (error) {
    // The files before a failing one stay applied: say which, then why it stopped.
    const after = await migrationStatus(db, { directory: request.migrationsDir }).catch(() => []);
    const nowApplied = new Set(after.filter((s) => s.state === 'applied').map((s) => s.name));
    if (!request.json) for (const name of pendingBefore.filter((n) => nowApplied.has(n))) say(`applied  ${name}`);
    throw error;
  }
}

/** The one line for a failure, or the error itself rethrown when it is a bug. */
function failure(error: unknown, { service, action, database }: DbRequest): string {
  return databaseFailure(error, service, database, `meshspec db ${action} ${service}`);
}

function shown(folder: string): string {
  const relative = path.relative(process.cwd(), folder);
  return relative === '' || relative.startsWith('..') ? folder : relative;
}
