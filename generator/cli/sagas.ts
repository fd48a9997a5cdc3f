// `meshspec sagas list|show`: the sagas of the services that run them, read from each service's saga
// log in its database, found as the service itself finds it (as `meshspec db` does). For a person
// resolving a stuck saga; a running service serves the same through `GET /sagas` and `/sagas/{id}`.
import path from 'node:path';
import { isSagaId } from '../../runtime/saga/ids.js';
import { createDatabaseSagaLog } from '../../runtime/saga/log/database.js';
import type { SagaSummary } from '../../runtime/saga/log/types.js';
import { SAGA_STATES, type SagaRecord, type SagaState } from '../../runtime/saga/types.js';
import { openDatabase } from '../../runtime/storage/index.js';
import { didYouMean } from '../language/diagnostics.js';
import { defaultLayout, migrationsFolder } from '../naming/index.js';
import { parseWithPositionals } from './args.js';
import { compiledSpecOrComplain, type CompiledModel } from './compiled-spec.js';
import { chooseDatabase, type ChosenDatabase } from './db/connection.js';
import { databaseFailure } from './db/failure.js';
import { complain, plural, say } from './output.js';
import { UsageError } from './usage-error.js';

/**
 * The help of `meshspec sagas`.
 *
 * @example say(sagasUsage)
 */
export const sagasUsage = `Usage: meshspec sagas list [--state STATE] [--saga NAME] [--service NAME] [--limit N] [--spec DIR] [--hooks DIR] [--json]
       meshspec sagas show <id> [--service NAME] [--spec DIR] [--hooks DIR] [--json]

Reads the saga log of every service that runs sagas (or of --service), in the database that
service's own process opens (see \`meshspec db --help\`: PostgreSQL from its variables, else the
PGlite folder of \`meshspec dev\`, which must be stopped first; a running service answers the same
on GET /sagas and GET /sagas/{id}).

\`list\` prints the newest sagas first: id, saga, state, age and, for one that failed, the step and
its error. STATE is running, compensating, completed, compensated or stuck. \`show\` prints one
saga with each step and compensation: outcome, attempts, timing and last error; exit 1 when no
service has it.

Options:
  --state STATE   only sagas in this state
  --saga NAME     only this saga
  --service NAME  only this service's log
  --limit N       at most N sagas per service, 1 to 200 (default 50)
  --spec DIR      spec folder (default: spec)
  --hooks DIR     folder of your hook files (default: ${defaultLayout.hooksDir})
  --json          print JSON
  -h, --help      show this help`;

/** A service of the compiled model (the CLI reads the model through the pipeline, never imports it). */
type ServiceModel = CompiledModel['services'][number];

const MAX_LIMIT = 200;

const options = {
  state: { type: 'string' },
  saga: { type: 'string' },
  service: { type: 'string' },
  limit: { type: 'string', default: '50' },
  spec: { type: 'string', default: 'spec' },
  hooks: { type: 'string', default: defaultLayout.hooksDir },
  json: { type: 'boolean', default: false },
} as const;

/** One service whose log is read, and its database. */
interface Source {
  readonly service: string;
  readonly database: ChosenDatabase;
}

/**
 * Runs `meshspec sagas list|show`: 0 on success, 1 for a spec with errors, an unreachable or locked
 * database, or (`show`) an id no service has; a UsageError (exit 2) for wrong arguments.
 *
 * @param args the arguments after `sagas`
 * @example
 * process.exitCode = await sagasCommand(['list', '--state', 'stuck']);
 */
export async function sagasCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return say(sagasUsage), 0;
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'show') {
    throw new UsageError(`${action === undefined ? 'missing sagas command' : `unknown sagas command \`${action.slice(0, 40)}\``}: use \`sagas list\` or \`sagas show <id>\`\n\n${sagasUsage}`);
  }
  const { values, positionals } = parseWithPositionals(rest, options, sagasUsage);
  const id = action === 'show' ? positionals[0] : undefined;
  if (action === 'show' && (id === undefined || !isSagaId(id))) throw new UsageError(`sagas show takes one saga id (letters, digits and . _ : -, up to 128)\n\n${sagasUsage}`);
  if (positionals.length > (action === 'show' ? 1 : 0)) throw new UsageError(`unexpected argument \`${positionals.at(-1)!.slice(0, 60)}\`\n\n${sagasUsage}`);
  const state = values.state as string | undefined;
  if (state !== undefined && !SAGA_STATES.includes(state as SagaState)) throw new UsageError(`--state must be one of ${SAGA_STATES.join(', ')}, not \`${state.slice(0, 40)}\``);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}`);

  const specDir = values.spec as string;
  const model = await compiledSpecOrComplain(specDir);
  if (!model) return 1;
  const sources = sourcesOf(model.services, values.service as string | undefined, values.hooks as string);
  const json = values.json as boolean;
  if (id !== undefined) return show(sources, id, json);
  const saga = values.saga as string | undefined;
  return list(sources, { ...(state !== undefined ? { state: state as SagaState } : {}), ...(saga !== undefined ? { saga } : {}), limit }, json);
}

function sourcesOf(services: readonly ServiceModel[], only: string | undefined, hooksDir: string): Source[] {
  const running = services.filter((s) => (s.sagas ?? []).length > 0);
  if (running.length === 0) throw new UsageError('no service of this mesh runs sagas: declare them under `sagas:` in a service file');
  const chosen = only === undefined ? running : running.filter((s) => s.name === only);
  if (chosen.length === 0) {
    const names = running.map((s) => s.name);
    throw new UsageError(`no service \`${only!.slice(0, 60)}\` runs sagas${didYouMean(only!, names) || `: those that do are ${names.join(', ')}`}`);
  }
  return chosen.map((s) => ({ service: s.name, database: chooseDatabase(s.name, path.resolve(migrationsFolder(hooksDir, s.name))) }));
}

/** Runs `read` on each source's log; a source that fails is one line on stderr and makes the exit 1. */
async function eachLog<T>(sources: readonly Source[], rerun: string, read: (log: Awaited<ReturnType<typeof createDatabaseSagaLog>>) => Promise<T>): Promise<{ found: { source: Source; value: T }[]; failed: boolean }> {
  const found: { source: Source; value: T }[] = [];
  let failed = false;
  for (const source of sources) {
    // A PGlite folder not made yet holds no sagas: nothing to open (and nothing to create).
    if (!source.database.exists) continue;
    try {
      const db = await openDatabase(source.database.options);
      try {
        found.push({ source, value: await read(await createDatabaseSagaLog({ db })) });
      } finally {
        await db.close();
      }
    } catch (error) {
      complain(databaseFailure(error, source.service, source.database, rerun));
      failed = true;
    }
  }
  return { found, failed };
}

async function list(sources: readonly Source[], filter: { state?: SagaState; saga?: string; limit: number }, json: boolean): Promise<number> {
  const { found, failed } = await eachLog(sources, 'meshspec sagas list', (log) => log.list(filter));
  const rows = found.flatMap(({ source, value }) => value.map((saga) => ({ service: source.service, ...saga })));
  rows.sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  if (json) {
    say(JSON.stringify(rows, null, 2));
    return failed ? 1 : 0;
  }
  if (rows.length === 0) say(`no sagas${filter.state ? ` ${filter.state}` : ''}${filter.saga ? ` of ${filter.saga}` : ''} in ${sources.map((s) => `${s.service} (${s.database.description})`).join(', ')}`);
  else printTable(rows);
  return failed ? 1 : 0;
}

function printTable(rows: readonly (SagaSummary & { service: string })[]): void {
  const now = Date.now();
  const table = [['ID', 'SERVICE', 'SAGA', 'STATE', 'AGE', 'FAILURE'], ...rows.map((r) => [r.id, r.service, r.saga, r.state, age(now - r.createdAt), r.failure ? `${r.failure.step}: ${r.failure.code} ${oneLine(r.failure.message)}` : ''])];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table) say(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

async function show(sources: readonly Source[], id: string, json: boolean): Promise<number> {
  const { found, failed } = await eachLog(sources, `meshspec sagas show ${id}`, (log) => log.get(id));
  const hit = found.find((f) => f.value !== undefined);
  if (!hit) {
    if (!failed) complain(`no saga ${id} in ${sources.map((s) => s.service).join(', ')}`);
    return 1;
  }
  const saga = hit.value as SagaRecord;
  if (json) {
    say(JSON.stringify({ service: hit.source.service, ...saga }, null, 2));
    return 0;
  }
  say(`${saga.saga} ${saga.id} (${hit.source.service}): ${saga.state}`);
  say(`started ${new Date(saga.createdAt).toISOString()}${saga.finishedAt !== undefined ? `, finished ${new Date(saga.finishedAt).toISOString()}` : ''}`);
  if (saga.failure) say(`failed at ${saga.failure.step}: ${saga.failure.code} ${oneLine(saga.failure.message)}`);
  for (const step of saga.steps) {
    const took = step.finishedAt !== undefined ? ` in ${Math.round(step.finishedAt - step.startedAt)} ms` : '';
    const error = step.error ? `, last error ${step.error.code} ${oneLine(step.error.message)}` : '';
    say(`  ${step.phase === 'compensate' ? 'undo ' : ''}${step.step}: ${step.outcome}, ${plural(step.attempts, 'attempt')}${took}${error}`);
  }
  return 0;
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

// Stored messages are bounded already; a line break in one must not break the table.
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}
