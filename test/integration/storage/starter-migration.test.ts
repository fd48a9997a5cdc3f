// The starter migration meshspec writes for a service with storage (generator/hooks/migrations.ts)
// is comments only: on both engines it applies, is recorded, and creates nothing; the sample table it
// shows, uncommented, is valid SQL on both.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { starterMigration } from '../../../generator/hooks/migrations.js';
import { FIRST_MIGRATION } from '../../../generator/naming/index.js';
import { migrate, type Database } from '../../../runtime/storage/index.js';
import { service } from '../../unit/hooks/model.js';
import { enginesUnderTest } from './engines.js';

const engines = await enginesUnderTest();
const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

const orders = { ...service('orders', []), storage: { engine: 'postgres' as const, poolSize: 10 } };

async function folderWith(text: string): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'meshspec-starter-'));
  folders.push(folder);
  await writeFile(path.join(folder, FIRST_MIGRATION), text);
  return folder;
}

async function tables(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1");
  return rows.map((r) => r.name);
}

describe.each(engines)('the starter migration on $engine', (engine) => {
  afterAll(() => engine.cleanup());
  const test = it.skipIf(!engine.available);

  test('applies, is recorded, and creates no table of its own', async () => {
    const db = await engine.open();
    const directory = await folderWith(starterMigration(orders));
    expect(await migrate(db, { directory })).toEqual({ applied: [FIRST_MIGRATION], upToDate: 0 });
    expect(await tables(db)).toEqual(['meshspec_migrations']);
  });

  test('shows a sample table that is valid SQL once uncommented', async () => {
    const db = await engine.open();
    const sample = starterMigration(orders).split('\n').filter((line) => /^-- (CREATE| |\);)/.test(line)).map((line) => line.slice(3)).join('\n');
    expect(sample).toMatch(/^CREATE TABLE orders \(/);
    const directory = await folderWith(`${sample}\n`);
    await migrate(db, { directory });
    expect(await tables(db)).toEqual(['meshspec_migrations', 'orders']);
  });
});
