// A fresh PGlite database starts from the template of an initialised data directory: it must be the
// same empty database initdb makes, made once per process, cached on disk, and a bad cache file must
// never stop a database from opening.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from '../../../runtime/storage/index.js';
import { CACHE_DIR_VARIABLE, pgliteTemplateFile, pgliteTemplateStats } from '../../../runtime/storage/pglite-template.js';
import { createPgliteDatabase } from '../../../runtime/storage/pglite.js';
import type { Database } from '../../../runtime/storage/types.js';

const parent = await mkdtemp(path.join(tmpdir(), 'meshspec-pglite-template-'));
const previousCacheDir = process.env[CACHE_DIR_VARIABLE];
afterAll(async () => {
  if (previousCacheDir === undefined) delete process.env[CACHE_DIR_VARIABLE];
  else process.env[CACHE_DIR_VARIABLE] = previousCacheDir;
  await rm(parent, { recursive: true, force: true });
});

const open: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
});

let cacheDirs = 0;
/** A new cache folder for the next opens: the process has no template for it yet. */
async function useNewCacheDir(): Promise<string> {
  const cacheDir = path.join(parent, `cache-${++cacheDirs}`);
  await mkdir(cacheDir);
  process.env[CACHE_DIR_VARIABLE] = cacheDir;
  return cacheDir;
}

async function openDb(dataDir?: string): Promise<Database> {
  const db = await createPgliteDatabase({ name: 'orders', ...(dataDir === undefined ? {} : { dataDir }) });
  open.push(db);
  return db;
}

async function userTables(db: Database): Promise<unknown[]> {
  const { rows } = await db.query(`select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`);
  return rows;
}

function cacheFile(cacheDir: string): string {
  const file = pgliteTemplateFile({ cacheDir });
  if (file === undefined) throw new Error("PGlite's version could not be read: no disk cache");
  return file;
}

async function isValidCache(file: string): Promise<boolean> {
  const bytes = await readFile(file);
  const newline = bytes.indexOf(0x0a);
  const [magic, digest, length] = bytes.subarray(0, newline).toString('latin1').split(' ');
  const payload = bytes.subarray(newline + 1);
  return magic === 'meshspec-pglite-template/1' && length === String(payload.length) && digest === createHash('sha256').update(payload).digest('hex');
}

// The cache file the first test makes: the others copy it instead of running initdb again.
let madeTemplate = '';

describe('PGlite from the template', () => {
  it('opens a fresh database in memory and in a new folder, empty, as the postgres user', async () => {
    const cacheDir = await useNewCacheDir();
    const inMemory = await openDb();
    expect(await userTables(inMemory)).toEqual([]);
    expect((await inMemory.query('select current_user as "user", current_database() as database')).rows).toEqual([{ user: 'postgres', database: 'postgres' }]);

    const dataDir = path.join(parent, 'fresh-folder');
    const inFolder = await openDb(dataDir);
    expect(await userTables(inFolder)).toEqual([]);
    expect(await readdir(dataDir)).toContain('PG_VERSION');
    madeTemplate = cacheFile(cacheDir);
    expect(await isValidCache(madeTemplate)).toBe(true);
  });

  it('makes the template once per process and reuses it for every fresh open', async () => {
    await useNewCacheDir();
    const before = pgliteTemplateStats();
    await openDb(); // initdb: the new cache folder is empty
    await openDb();
    await openDb();
    await openDb(path.join(parent, 'reuse-folder'));
    expect(pgliteTemplateStats()).toEqual({ created: before.created + 1, readFromDisk: before.readFromDisk });
  });

  it('reads a valid template from the disk cache instead of running initdb', async () => {
    const cacheDir = await useNewCacheDir();
    await copyFile(madeTemplate, cacheFile(cacheDir));
    const before = pgliteTemplateStats();
    const db = await openDb();
    expect(await userTables(db)).toEqual([]);
    expect(pgliteTemplateStats()).toEqual({ created: before.created, readFromDisk: before.readFromDisk + 1 });
  });

  it('replaces a cache file of garbage bytes, and the database still opens', async () => {
    const file = cacheFile(await useNewCacheDir());
    await writeFile(file, Buffer.from('not a template at all\n\0\x01\x02'));
    const before = pgliteTemplateStats();
    const db = await openDb();
    expect(await userTables(db)).toEqual([]);
    expect(pgliteTemplateStats()).toEqual({ created: before.created + 1, readFromDisk: before.readFromDisk });
    expect(await isValidCache(file)).toBe(true);
  });

  it('replaces a truncated cache file, and the database still opens', async () => {
    const file = cacheFile(await useNewCacheDir());
    await copyFile(madeTemplate, file);
    await truncate(file, Math.floor((await readFile(madeTemplate)).length / 2));
    const before = pgliteTemplateStats();
    const db = await openDb(path.join(parent, 'truncated-folder'));
    expect(await userTables(db)).toEqual([]);
    expect(pgliteTemplateStats()).toEqual({ created: before.created + 1, readFromDisk: before.readFromDisk });
    expect(await isValidCache(file)).toBe(true);
  });

  it('falls back to initdb when the cached template passes its checksum but is no tarball', async () => {
    const file = cacheFile(await useNewCacheDir());
    const payload = Buffer.from('a well-formed cache file whose tarball is not one');
    const digest = createHash('sha256').update(payload).digest('hex');
    await writeFile(file, Buffer.concat([Buffer.from(`meshspec-pglite-template/1 ${digest} ${payload.length}\n`), payload]));
    const dataDir = path.join(parent, 'fallback-folder');
    const before = pgliteTemplateStats();
    const db = await openDb(dataDir);
    expect(pgliteTemplateStats()).toEqual({ created: before.created, readFromDisk: before.readFromDisk + 1 }); // it was tried
    expect(await userTables(db)).toEqual([]);
    await db.query('create table orders (id text primary key)');
    await db.query(sql`insert into orders values (${'o-1'})`);
    expect((await db.query('select id from orders')).rows).toEqual([{ id: 'o-1' }]);
  });

  it('keeps what is written to a folder opened from the template across close and open', async () => {
    await copyFile(madeTemplate, cacheFile(await useNewCacheDir()));
    const dataDir = path.join(parent, 'kept-folder');
    const first = await createPgliteDatabase({ name: 'orders', dataDir });
    await first.query('create table orders (id text primary key, total numeric)');
    await first.query(sql`insert into orders values (${'o-1'}, ${'12.50'})`);
    await first.close();

    const before = pgliteTemplateStats();
    const reopened = await openDb(dataDir);
    expect((await reopened.query('select id, total from orders')).rows).toEqual([{ id: 'o-1', total: '12.50' }]);
    expect(pgliteTemplateStats()).toEqual(before); // an existing folder never touches the template
  });
});
