// A service with storage under startService, on both engines: migrated before it listens, hooks
// write and read through `ctx.db`, a broken migration stops start-up naming the file and quoting the
// database, a missing database is a clear startup error, and the database is closed with the service.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startService, StartupError } from '../../support/runtime.js';
import { enginesUnderTest, type EngineUnderTest } from '../storage/engines.js';
import { call, captureLogger, MIGRATIONS_DIR, notesHost, notesSettings, notesWithoutStorage } from './fixtures.js';

const engines = await enginesUnderTest();

describe.each(engines)('a service with storage on $engine', (engine: EngineUnderTest) => {
  let brokenDir: string;

  beforeAll(async () => {
    // The good migration, then one the database refuses.
    brokenDir = await mkdtemp(path.join(tmpdir(), 'meshspec-migrations-'));
    await cp(MIGRATIONS_DIR, brokenDir, { recursive: true });
    await writeFile(path.join(brokenDir, '0002_add_tags.sql'), 'alter table notes add column tags text[];\nalter table nowhere add column x int;\n');
  });

  afterAll(async () => {
    await engine.cleanup();
    await rm(brokenDir, { recursive: true, force: true });
  });

  it.skipIf(!engine.available)('migrates at start, then a write and a read through HTTP use ctx.db; closing the service closes the database', async () => {
    const db = await engine.open();
    const { logger, lines } = captureLogger();
    const service = await startService(notesHost(), notesSettings(logger, db));
    try {
      expect(lines.some((l) => l['msg'] === 'notes database: applied 1 migration(s)')).toBe(true);
      expect((await call(service.httpPort, 'GET', '/ready')).status).toBe(200);
      const created = await call(service.httpPort, 'POST', '/notes', { id: 'n-1', body: 'first' });
      expect(created).toEqual({ status: 201, body: { id: 'n-1', body: 'first' } });
      expect(await call(service.httpPort, 'GET', '/notes/n-1')).toEqual({ status: 200, body: { id: 'n-1', body: 'first' } });
      expect((await call(service.httpPort, 'GET', '/notes/n-2')).status).toBe(404);
      // What the hook wrote is in the database itself, and the migration is recorded.
      expect((await db.query('select id from notes')).rows).toEqual([{ id: 'n-1' }]);
      expect((await db.query('select name from meshspec_migrations')).rows).toEqual([{ name: '0001_create_notes.sql' }]);
    } finally {
      await service.close();
    }
    await expect(db.query('select 1')).rejects.toMatchObject({ code: 'Unavailable' });
  });

  it.skipIf(!engine.available)('closes the database only after a request in the middle of a transaction has finished', async () => {
    const db = await engine.open();
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // A failed assertion must not leave the transaction (PGlite's one connection) held for the next tests.
    onTestFinished(() => release());
    const host = notesHost(MIGRATIONS_DIR, async () => {
      entered();
      await released;
    });
    const { logger } = captureLogger();
    const service = await startService(host, notesSettings(logger, db, { shutdownGraceMs: 20_000 }));
    const write = call(service.httpPort, 'POST', '/notes', { id: 'n-9', body: 'in flight' });
    await inside;
    let closed = false;
    const closing = service.close().then(() => (closed = true));
    // Still inside its transaction: the service waits for it (and its database stays open: the commit succeeds).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    release();
    expect((await write).status).toBe(201);
    await closing;
    await expect(db.query('select 1')).rejects.toMatchObject({ code: 'Unavailable' });
  });

  it.skipIf(!engine.available)('a broken migration stops start-up with its file and the database message, before listening', async () => {
    const db = await engine.open();
    const { logger } = captureLogger();
    const error = await startService(notesHost(brokenDir), notesSettings(logger, db)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(message).toMatch(/^migration 0002_add_tags\.sql of the \w+ database failed(?: at line \d+)?: /);
    expect(message).toContain('relation "nowhere" does not exist');
    expect(message.length).toBeLessThan(1000);
    // The failed start closed the database it was given.
    await expect(db.query('select 1')).rejects.toMatchObject({ code: 'Unavailable' });
  });
});

describe('storage declared and database given must agree', () => {
  it('a service with storage and no database does not start, and says what is missing', async () => {
    const { logger } = captureLogger();
    const error = await startService(notesHost(), notesSettings(logger, undefined)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe('notes has storage but no database was opened for it (HostSettings.database)');
  });

  it('a service without storage has no ctx.db and refuses a database', async () => {
    const { logger } = captureLogger();
    const service = await startService(notesWithoutStorage(), notesSettings(logger, undefined));
    try {
      // The hook reaches for ctx.db, which this service does not have: a 500, without internals.
      const res = await call(service.httpPort, 'GET', '/notes/n-1');
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain('db');
    } finally {
      await service.close();
    }
    const stray = { name: 'notes', close: async () => undefined } as unknown as NonNullable<Parameters<typeof notesSettings>[1]>;
    await expect(startService(notesWithoutStorage(), notesSettings(logger, stray))).rejects.toThrow('notes was given a database but declares no storage');
  });
});
