// A service with storage as its own process (runMain): PostgreSQL at MESH_<SERVICE>_DATABASE_URL
// (a throwaway database on this machine's server), migrated before it listens; no configuration at
// all is one fatal line naming the variables and exit 1.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from '../storage/engines.js';
import { call } from './fixtures.js';

const main = fileURLToPath(new URL('./notes-main.ts', import.meta.url));
const postgresUp = await postgresAvailable();

/** Without the machine's database variables: each case sets what it tests. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^PG|DATABASE_URL$/.test(key)) env[key] = value;
  }
  return env;
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...cleanEnv(), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, exited, lines };
}

describe('a service with storage as its own process', () => {
  let scratch: ThrowawayDatabase | undefined;

  beforeAll(async () => {
    if (postgresUp) scratch = await createThrowawayDatabase();
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it('without any database configuration logs one line naming the variables and exits 1', async () => {
    const proc = start({});
    expect(await proc.exited).toBe(1);
    expect(proc.lines()).toEqual([
      expect.objectContaining({
        level: 'fatal',
        msg: 'notes has storage but no database is configured: set MESH_NOTES_DATABASE_URL, DATABASE_URL or the PG* variables (PGHOST, PGHOSTADDR, PGPORT, PGDATABASE, PGUSER, PGSERVICE) (or MESH_DATA=<folder>|memory for the embedded PGlite, in development)',
      }),
    ]);
  });

  it.skipIf(!postgresUp)('uses MESH_NOTES_DATABASE_URL: migrated, serving, and stops with exit 0', async () => {
    const proc = start({ MESH_NOTES_DATABASE_URL: scratch!.url });
    try {
      let started: Record<string, unknown> | undefined;
      const deadline = Date.now() + 20_000;
      while (!started && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        started = proc.lines().find((l) => l['msg'] === 'notes started');
      }
      expect(started).toBeDefined();
      const port = Number(started!['httpPort']);
      expect(proc.lines().map((l) => l['msg'])).toContain('notes database: applied 1 migration(s)');
      expect((await call(port, 'POST', '/notes', { id: 'p-1', body: 'in postgres' })).status).toBe(201);
      expect(await call(port, 'GET', '/notes/p-1')).toEqual({ status: 200, body: { id: 'p-1', body: 'in postgres' } });
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
  });

  it.skipIf(!postgresUp)('a database that does not exist stops start-up with one line, no address', async () => {
    const url = new URL(scratch!.url);
    url.pathname = '/meshspec_test_no_such_database';
    const proc = start({ MESH_NOTES_DATABASE_URL: url.toString() });
    expect(await proc.exited).toBe(1);
    const [line, ...rest] = proc.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'fatal', msg: 'cannot migrate the notes database: the notes database is unavailable (no such database, 3D000)' });
    expect(String(line!['msg'])).not.toMatch(/127\.0\.0\.1|5432/);
  });
});
