// `meshspec db status|migrate <service>` as a user runs it: the CLI in a child process, in a tiny
// project whose `notes` service has storage and two migrations, against a fresh PGlite folder (the
// `meshspec dev` default) and against real PostgreSQL through MESH_NOTES_DATABASE_URL (a throwaway
// database; a missing PostgreSQL skips those cases on a developer machine and fails them under CI=true).
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_LOCATION_VARIABLES } from '../../../runtime/host/database-config.js';
import { runToEnd } from '../../support/processes.js';
import { repoRoot } from '../../support/project.js';
import { createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from '../storage/engines.js';

const MESH = 'mesh: tiny\nversion: 0.1.0\n';
const NOTES = `service: notes
ports: { http: 3401 }
storage: postgres
types:
  Note:
    fields:
      id: { type: string, field: 1 }
endpoints:
  get:
    http: GET /notes/{id}
    output: Note
`;
const PLAIN = NOTES.replace('notes', 'plain').replace('3401', '3402').replace('storage: postgres\n', '').replace('/notes/', '/plain/');
const FIRST = 'create table notes (id text primary key);\n';
const SECOND = 'alter table notes add column body text;\n';

/** No database variable of the developer's shell reaches the CLI unless a test sets it. */
const noDatabaseEnv = Object.fromEntries(['MESH_DATA', 'DATABASE_URL', 'MESH_NOTES_DATABASE_URL', ...PG_LOCATION_VARIABLES].map((v) => [v, '']));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh project (spec, two migrations of `notes`) in a temporary folder. */
async function project(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshspec-db-'));
  await mkdir(path.join(root, 'spec/services'), { recursive: true });
  await mkdir(path.join(root, 'hooks/migrations/notes'), { recursive: true });
  await writeFile(path.join(root, 'spec/mesh.yaml'), MESH);
  await writeFile(path.join(root, 'spec/services/notes.yaml'), NOTES);
  await writeFile(path.join(root, 'spec/services/plain.yaml'), PLAIN);
  await writeFile(path.join(root, 'hooks/migrations/notes/0001_notes.sql'), FIRST);
  await writeFile(path.join(root, 'hooks/migrations/notes/0002_body.sql'), SECOND);
  return root;
}

async function db(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runToEnd([path.join(repoRoot, 'bin/meshspec.js'), 'db', ...args], { ...noDatabaseEnv, ...env }, root);
}

const roots: string[] = [];
const scratch: ThrowawayDatabase[] = [];
const postgresUp = await postgresAvailable();
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  await Promise.all(scratch.map((s) => s.drop()));
});

interface Engine {
  readonly name: string;
  readonly available: boolean;
  /** The environment that points the CLI at this engine's database, and the first line it prints. */
  prepare(): Promise<{ env: NodeJS.ProcessEnv; first: RegExp }>;
}

const engines: Engine[] = [
  { name: 'PGlite (the dev folder)', available: true, prepare: async () => ({ env: {}, first: /^notes database: PGlite in \.meshspec\/data\/notes$/m }) },
  {
    name: 'PostgreSQL (MESH_NOTES_DATABASE_URL)',
    available: postgresUp,
    async prepare() {
      const created = await createThrowawayDatabase();
      scratch.push(created);
      const url = new URL(created.url);
      url.password = 'not-shown';
      return { env: { MESH_NOTES_DATABASE_URL: url.toString() }, first: /^notes database: PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/meshspec_test_\w+$/m };
    },
  },
];

// Each test runs the CLI four or five times, each a fresh process that loads the sources through tsx
// and, on PGlite, boots PostgreSQL compiled to WebAssembly: several seconds apiece on a loaded
// 2-core machine (a browser test beside it), so the budget is wider than the suite's 30 s.
const CLI_RUNS_TIMEOUT_MS = 120_000;

describe.each(engines)('meshspec db on $name', { timeout: CLI_RUNS_TIMEOUT_MS }, (engine) => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let first: RegExp;
  beforeAll(async () => {
    if (!engine.available) return;
    root = await project();
    roots.push(root);
    ({ env, first } = await engine.prepare());
  });

  it.skipIf(!engine.available)('status shows both pending, migrate applies them in order, status then shows them applied', async () => {
    const before = await db(root, ['status', 'notes'], env);
    expect(before).toMatchObject({ code: 0, stderr: '' });
    expect(before.stdout).toMatch(first);
    expect(before.stdout).not.toContain('not-shown');
    expect(before.stdout).toMatch(/^pending +0001_notes\.sql\npending +0002_body\.sql\n2 migrations: 2 pending$/m);

    const migrated = await db(root, ['migrate', 'notes'], env);
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout).toMatch(/^applied +0001_notes\.sql\napplied +0002_body\.sql\n2 migrations applied, 0 before$/m);

    const after = await db(root, ['status', 'notes', '--json'], env);
    expect(after.code).toBe(0);
    const report = JSON.parse(after.stdout) as { migrations: { name: string; state: string; appliedAt: string }[] };
    expect(report.migrations.map((m) => [m.name, m.state])).toEqual([
      ['0001_notes.sql', 'applied'],
      ['0002_body.sql', 'applied'],
    ]);
    expect(Number.isNaN(Date.parse(report.migrations[0]!.appliedAt))).toBe(false);

    const again = await db(root, ['migrate', 'notes'], env);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('up to date: 2 migrations applied before');
  });

  it.skipIf(!engine.available)('a changed applied file makes status exit 1 naming it; a broken migration makes migrate exit 1 naming the file, without a stack', async () => {
    const file = path.join(root, 'hooks/migrations/notes/0001_notes.sql');
    await appendFile(file, '-- edited after it was applied\n');
    const changed = await db(root, ['status', 'notes'], env);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^changed +0001_notes\.sql/m);
    expect(changed.stderr).toContain('changed after it was applied');
    const refused = await db(root, ['migrate', 'notes'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('migration 0001_notes.sql of the notes database was changed after it was applied');
    await writeFile(file, FIRST);

    await writeFile(path.join(root, 'hooks/migrations/notes/0003_broken.sql'), 'create table tags (id text primary key);\ncreate tabel oops (id text);\n');
    const broken = await db(root, ['migrate', 'notes'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/migration 0003_broken\.sql of the notes database failed at line 2: syntax error at or near "tabel" \(SQLSTATE 42601\); nothing of it was applied/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const status = await db(root, ['status', 'notes'], env);
    expect(status.stdout).toMatch(/^pending +0003_broken\.sql$/m);
  });
});

describe('meshspec db: mistakes', () => {
  let root: string;
  beforeAll(async () => {
    root = await project();
    roots.push(root);
  });

  it('an unknown service is a usage error suggesting the closest one', async () => {
    const run = await db(root, ['status', 'note']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no service `note` in spec; did you mean `notes`?');
  });

  it('a service without storage is a usage error saying how to give it a database', async () => {
    const run = await db(root, ['migrate', 'plain']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plain has no database: add `storage: postgres` to spec/services/plain.yaml');
  });

  it('a missing action or service is a usage error', async () => {
    expect((await db(root, ['drop', 'notes'])).stderr).toContain('unknown db command `drop`');
    const missing = await db(root, ['status']);
    expect([missing.code, missing.stderr.includes('missing <service>')]).toEqual([2, true]);
  });

  it('a PGlite folder held by a running process says to stop it first', async () => {
    const folder = path.join(root, '.meshspec/data/notes');
    await mkdir(folder, { recursive: true });
    // This test's own process stands in for a running `meshspec dev`: alive, and not the CLI.
    await writeFile(path.join(folder, 'meshspec.lock'), `${process.pid}\n`);
    const run = await db(root, ['migrate', 'notes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`is open in process ${process.pid}, a running \`meshspec dev\` or service: stop it first`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
