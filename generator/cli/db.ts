// `meshspec db status|migrate <service>`: a service's SQL migrations against its database, found as
// the service itself finds it (PostgreSQL from its variables, else the PGlite folder of `meshspec dev`).
import path from 'node:path';
import { didYouMean } from '../language/diagnostics.js';
import { defaultLayout, migrationsFolder } from '../naming/index.js';
import { parseWithPositionals } from './args.js';
import { compiledSpecOrComplain } from './compiled-spec.js';
import { chooseDatabase } from './db/connection.js';
import { runDb } from './db/run.js';
import { say } from './output.js';
import { UsageError } from './usage-error.js';

/**
 * The help of `meshspec db`.
 *
 * @example say(dbUsage)
 */
export const dbUsage = `Usage: meshspec db status <service> [--spec DIR] [--hooks DIR] [--json]
       meshspec db migrate <service> [--spec DIR] [--hooks DIR] [--json]

A service with \`storage: postgres\` has its SQL migrations in <hooks>/migrations/<service>/, applied in
file-name order when it starts. \`status\` lists each one as applied, pending, changed (edited after
it was applied) or missing (applied, file gone) and changes nothing: exit 1 when one is changed or
missing. \`migrate\` applies the pending ones now, each in its own transaction: exit 1 naming the
file and the database's message when one fails (nothing of that file is applied).

The database is the one the service's own process opens: PostgreSQL at MESH_<SERVICE>_DATABASE_URL,
else at DATABASE_URL; else PGlite in MESH_DATA/<service> when MESH_DATA is set; else PostgreSQL from
the PG* variables (PGHOST, PGDATABASE, ...); else the PGlite folder of \`meshspec dev\`,
.meshspec/data/<service> (stop \`meshspec dev\` first: one process at a time may open it). The
first line says which.

Options:
  --spec DIR    spec folder (default: spec)
  --hooks DIR   folder of your hook files, holding migrations/ (default: ${defaultLayout.hooksDir})
  --json        print the result as JSON
  -h, --help    show this help`;

const options = {
  spec: { type: 'string', default: 'spec' },
  hooks: { type: 'string', default: defaultLayout.hooksDir },
  json: { type: 'boolean', default: false },
} as const;

/**
 * Runs `meshspec db status|migrate <service>`: 0 on success, 1 for a spec with errors, a changed or
 * missing migration, a failing one or an unreachable database, and a UsageError (exit 2) for wrong
 * arguments, an unknown service or one without storage.
 *
 * @param args the arguments after `db`
 * @example
 * process.exitCode = await dbCommand(['status', 'orders']);
 */
export async function dbCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return say(dbUsage), 0;
  const [action, ...rest] = args;
  if (action !== 'status' && action !== 'migrate') {
    throw new UsageError(`${action === undefined ? 'missing db command' : `unknown db command \`${action}\``}: use \`db status\` or \`db migrate\`\n\n${dbUsage}`);
  }
  const { values, positionals } = parseWithPositionals(rest, options, dbUsage);
  const [service, ...extra] = positionals;
  if (service === undefined || service.trim() === '') throw new UsageError(`missing <service>: whose database?\n\n${dbUsage}`);
  if (extra.length > 0) throw new UsageError(`db ${action} takes one service, not ${positionals.join(', ')}\n\n${dbUsage}`);

  const specDir = values.spec as string;
  const model = await compiledSpecOrComplain(specDir);
  if (!model) return 1;
  const found = model.services.find((s) => s.name === service);
  if (!found) {
    const names = model.services.map((s) => s.name);
    throw new UsageError(`no service \`${service.slice(0, 60)}\` in ${specDir}${didYouMean(service, names) || `: the services are ${names.join(', ')}`}`);
  }
  if (!found.storage) {
    throw new UsageError(`${service} has no database: add \`storage: postgres\` to ${found.file} to give it one`);
  }
  const migrationsDir = path.resolve(migrationsFolder(values.hooks as string, service));
  return runDb({ action, service, migrationsDir, database: chooseDatabase(service, migrationsDir), json: values.json === true });
}
