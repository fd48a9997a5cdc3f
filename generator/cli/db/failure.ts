// The one line a command that opens a service's database (`meshspec db`, `meshspec sagas`) prints
// when it cannot: a locked PGlite folder, an unreachable server, a refused statement. Never a stack,
// never the server's address beyond what the user configured (the description hides passwords).
import { isMeshError } from '../../../runtime/errors/index.js';
import { StartupError } from '../../../runtime/host/startup-error.js';
import { DataDirInUse } from '../../../runtime/storage/data-dir-lock.js';
import { isDatabaseError } from '../../../runtime/storage/index.js';
import type { ChosenDatabase } from './connection.js';

/**
 * The one line for a failure to use a service's database, or the error itself rethrown when it is
 * a bug in meshspec.
 *
 * @param error - what opening or querying the database threw
 * @param service - whose database
 * @param database - the database chosen for it (its description names it without a password)
 * @param rerun - the command to run again once the folder is free, e.g. `meshspec db status orders`
 * @example
 * complain(databaseFailure(error, 'orders', chosen, 'meshspec sagas list'));
 */
export function databaseFailure(error: unknown, service: string, database: ChosenDatabase, rerun: string): string {
  if (error instanceof DataDirInUse) {
    const who = error.holder === process.pid ? 'this process' : `process ${error.holder}`;
    return `the ${service} database (${database.description}) is open in ${who}, a running \`meshspec dev\` or service: stop it first, then run \`${rerun}\` again`;
  }
  // MigrationError (the file, its line and the database's message), a folder that cannot be opened or read.
  if (error instanceof StartupError) return error.message;
  if (isMeshError(error, 'Unavailable')) {
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error && cause.message ? `: ${cause.message.replace(/\s+/g, ' ').slice(0, 300)}` : '';
    return `cannot reach the ${service} database (${database.description})${why}`;
  }
  if (isDatabaseError(error)) return `the ${service} database refused: ${error.message} (SQLSTATE ${error.code})`;
  throw error;
}
