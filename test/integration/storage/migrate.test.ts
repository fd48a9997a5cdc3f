// The migrator on both engines: files applied in lexical order, once, recorded; two replicas
// starting together (two Database instances on one PostgreSQL database; two calls on one PGlite
// instance) apply each file once; a broken file leaves nothing of itself and names itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MigrationError, migrationStatus, type Database } from '../../../runtime/storage/index.js';
import { enginesUnderTest } from './engines.js';

const engines = await enginesUnderTest();
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A migrations folder holding `files` (name to SQL). */
async function migrationsFolder(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'meshspec-migrations-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
  return folder;
}

/** `db` with every transaction starting a few milliseconds late. */
function interleaving(db: Database): Database {
  return { ...db, transaction: async (work, options) => (await sleep(3), db.transaction(work, options)) };
}

async function tables(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1");
  return rows.map((r) => r.name);
}

// Each file also logs itself, so a file applied twice shows as two rows.
const SHOP = {
  '0002_add_orders.sql': "create table orders (id text primary key, user_id text not null references users(id));\ninsert into applied_log values ('0002');\n",
  '0001_create_users.sql': "create table users (id text primary key);\ncreate table applied_log (file text not null);\ninsert into applied_log values ('0001');\n",
  '0010_add_email.sql': "alter table users add column email text;\ninsert into applied_log values ('0010');\n",
  'README.md': 'not a migration',
};

describe.each(engines)('migrations on $engine', (engine) => {
  afterAll(() => engine.cleanup());
  const test = it.skipIf(!engine.available);

  test('applies the files in lexical order, records them, and applies nothing the second time', async () => {
    const db = await engine.open();
    const directory = await migrationsFolder(SHOP);
    expect(await migrationStatus(db, { directory })).toEqual([
      { name: '0001_create_users.sql', state: 'pending' },
      { name: '0002_add_orders.sql', state: 'pending' },
      { name: '0010_add_email.sql', state: 'pending' },
    ]);
    expect(await tables(db)).toEqual([]); // status changes nothing
    expect(await migrate(db, { directory })).toEqual({ applied: ['0001_create_users.sql', '0002_add_orders.sql', '0010_add_email.sql'], upToDate: 0 });
    expect(await migrate(db, { directory })).toEqual({ applied: [], upToDate: 3 });
    expect((await db.query<{ file: string }>('select file from applied_log')).rows.map((r) => r.file)).toEqual(['0001', '0002', '0010']);
    const status = await migrationStatus(db, { directory });
    expect(status.map((s) => [s.name, s.state])).toEqual([
      ['0001_create_users.sql', 'applied'],
      ['0002_add_orders.sql', 'applied'],
      ['0010_add_email.sql', 'applied'],
    ]);
    expect(status.every((s) => s.appliedAt instanceof Date)).toBe(true);
    const { rows } = await db.query<{ name: string; checksum: string }>('select name, checksum from meshspec_migrations order by name');
    expect(rows.map((r) => r.name)).toEqual(['0001_create_users.sql', '0002_add_orders.sql', '0010_add_email.sql']);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  test('applies each file once when two replicas migrate at the same moment', async () => {
    const db = await engine.open();
    const directory = await migrationsFolder(SHOP);
    // PostgreSQL: a second Database on the same database, as a second replica. PGlite: calls on the one
    // instance. Each transaction starts a timer tick late so that the calls' steps interleave (PGlite
    // answers in microtasks: undelayed, the first call would finish before the others read anything).
    const replica = engine.replicaOf(db) ?? db;
    const reports = await Promise.all([db, replica, db].map((instance) => migrate(interleaving(instance), { directory })));
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(['0001_create_users.sql', '0002_add_orders.sql', '0010_add_email.sql']);
    expect((await db.query<{ file: string }>('select file from applied_log order by file')).rows.map((r) => r.file)).toEqual(['0001', '0002', '0010']);
    expect((await db.query('select name from meshspec_migrations')).rowCount).toBe(3);
  });

  test('stops at a broken file: nothing of it applied, later files not tried, the error names the file, line and message', async () => {
    const db = await engine.open();
    const directory = await migrationsFolder({
      '0001_create_users.sql': 'create table users (id text primary key);\n',
      '0002_broken.sql': 'create table orders (id text primary key);\n\ninsert into no_such_table values (1);\n',
      '0003_after.sql': 'create table after_broken (id int);\n',
    });
    const err = await migrate(db, { directory }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).file).toBe('0002_broken.sql');
    expect((err as MigrationError).message).toBe(
      'migration 0002_broken.sql of the orders database failed at line 3: relation "no_such_table" does not exist (SQLSTATE 42P01); nothing of it was applied',
    );
    expect(await tables(db)).toEqual(['meshspec_migrations', 'users']);
    expect((await migrationStatus(db, { directory })).map((s) => s.state)).toEqual(['applied', 'pending', 'pending']);
  });

  test('refuses to start when an applied file has changed, before applying anything new', async () => {
    const db = await engine.open();
    const directory = await migrationsFolder({ '0001_create_users.sql': 'create table users (id text primary key);\n' });
    await migrate(db, { directory });
    await writeFile(path.join(directory, '0001_create_users.sql'), 'create table users (id text primary key, email text);\n');
    await writeFile(path.join(directory, '0002_orders.sql'), 'create table orders (id text);\n');
    const err = await migrate(db, { directory }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).message).toMatch(/^migration 0001_create_users\.sql of the orders database was changed after it was applied/);
    expect(await tables(db)).toEqual(['meshspec_migrations', 'users']);
    expect((await migrationStatus(db, { directory })).map((s) => [s.name, s.state])).toEqual([
      ['0001_create_users.sql', 'changed'],
      ['0002_orders.sql', 'pending'],
    ]);
  });

  test('counts a file checked out with CRLF line endings as unchanged, and lists an applied file that is gone', async () => {
    const db = await engine.open();
    const directory = await migrationsFolder({ '0001_a.sql': 'create table a (id int);\ncreate table b (id int);\n', '0002_c.sql': 'create table c (id int);\n' });
    await migrate(db, { directory });
    await writeFile(path.join(directory, '0001_a.sql'), 'create table a (id int);\r\ncreate table b (id int);\r\n');
    await rm(path.join(directory, '0002_c.sql'));
    expect(await migrate(db, { directory })).toEqual({ applied: [], upToDate: 1 });
    expect((await migrationStatus(db, { directory })).map((s) => [s.name, s.state])).toEqual([
      ['0001_a.sql', 'applied'],
      ['0002_c.sql', 'missing'],
    ]);
  });

  test('names a missing migrations folder', async () => {
    const db = await engine.open();
    await expect(migrate(db, { directory: path.join(tmpdir(), 'meshspec-no-such-folder') })).rejects.toThrow(/^cannot read the orders migrations folder .*meshspec-no-such-folder: ENOENT$/);
  });
});
