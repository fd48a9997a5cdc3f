// A fresh PGlite database runs initdb: seconds of CPU and a burst of memory, paid by every in-memory
// database and every new data folder. Loading a tarball of a freshly initialised data directory
// instead takes a fraction of that. The tarball is made once per process (a memoised promise) and
// kept on disk, so the next process skips initdb too.
//
// The disk copy is a cache, never a source of truth: its name carries PGlite's version (an upgrade
// never loads an old template), it is checked against a SHA-256 in its own header (a truncated or
// corrupt file is ignored and replaced), and it is written to a temporary file then renamed (two
// processes making it at once each rename a whole file; the last one wins).
//
// Compression: none. The tarball is ~40 MB, ~4.5 MB gzipped; but every open from the gzipped one
// cost ~0.2 s more CPU (measured: ~0.65 s against ~0.86 s per open), which is what this file exists
// to save. 40 MB on disk and in this process's memory is small next to the ~270 MB each PGlite takes.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** The environment variable naming the folder the template is cached in (overrides the default). */
export const CACHE_DIR_VARIABLE = 'MESHSPEC_CACHE_DIR';

const PACKAGE_NAME = '@electric-sql/pglite';
const HEADER_MAGIC = 'meshspec-pglite-template/1';
const COMPRESSION = 'none';

/**
 * Options of {@link pgliteTemplate}.
 *
 * @example
 * const options: PgliteTemplateOptions = { cacheDir: '/tmp/meshspec-cache' };
 */
export interface PgliteTemplateOptions {
  /** Folder of the disk cache; default `$MESHSPEC_CACHE_DIR`, else `node_modules/.cache/meshspec` of the working directory when `node_modules` exists there, else `meshspec-cache` in the OS temp folder. */
  readonly cacheDir?: string;
}

/** How the templates of this process were obtained (tests observe reuse with it). */
const counters = { created: 0, readFromDisk: 0 };

// One promise per cache file: every fresh open in this process shares it.
const templates = new Map<string, Promise<Blob>>();

/**
 * The tarball of a freshly initialised PGlite data directory, for `new PGlite({ loadDataDir })`.
 * Made (initdb) at most once per process and cache file; read from the disk cache when a valid one
 * is there. Writing the cache may fail (read-only folder): the template is still returned.
 *
 * @param options - see PgliteTemplateOptions; `cacheDir` defaults as described there
 * @example
 * const db = await PGlite.create({ loadDataDir: await pgliteTemplate() });
 */
export function pgliteTemplate(options: PgliteTemplateOptions = {}): Promise<Blob> {
  const file = pgliteTemplateFile(options);
  const key = file ?? '';
  let template = templates.get(key);
  if (template === undefined) {
    template = obtain(file);
    templates.set(key, template);
    template.catch(() => templates.delete(key)); // a later open tries again
  }
  return template;
}

/**
 * The disk cache file of the template, or undefined when PGlite's version cannot be read (then the
 * template is only kept in memory: a file without a version could be stale after an upgrade).
 *
 * @param options - see PgliteTemplateOptions; `cacheDir` defaults as described there
 * @example
 * console.log(pgliteTemplateFile()); // node_modules/.cache/meshspec/pglite-0.5.17-template.tar
 */
export function pgliteTemplateFile(options: PgliteTemplateOptions = {}): string | undefined {
  const version = pgliteVersion();
  if (version === undefined) return undefined;
  return path.join(options.cacheDir ?? defaultCacheDir(), `pglite-${version}-template.tar`);
}

/**
 * How many templates this process made by running initdb, and how many it read from the disk cache.
 *
 * @example
 * const { created, readFromDisk } = pgliteTemplateStats();
 */
export function pgliteTemplateStats(): Readonly<typeof counters> {
  return { ...counters };
}

async function obtain(file: string | undefined): Promise<Blob> {
  if (file !== undefined) {
    const cached = await readCache(file);
    if (cached !== undefined) {
      counters.readFromDisk++;
      return new Blob([cached]);
    }
  }
  const template = await createTemplate();
  counters.created++;
  if (file !== undefined) await writeCache(file, new Uint8Array(await template.arrayBuffer())).catch(() => undefined);
  return template;
}

async function createTemplate(): Promise<Blob> {
  const seed = await PGlite.create();
  try {
    return await seed.dumpDataDir(COMPRESSION);
  } finally {
    await seed.close();
  }
}

/** The cached tarball, or undefined when the file is missing, unreadable, truncated, corrupt or someone else's. */
async function readCache(file: string): Promise<Uint8Array | undefined> {
  let bytes: Buffer;
  try {
    // The OS temp folder is shared: a file another user planted there is not loaded.
    if (process.getuid !== undefined && (await stat(file)).uid !== process.getuid()) return undefined;
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline < 0 || newline > 200) return undefined;
  const [magic, digest, length] = bytes.subarray(0, newline).toString('latin1').split(' ');
  const payload = bytes.subarray(newline + 1);
  if (magic !== HEADER_MAGIC || length !== String(payload.length) || digest !== sha256(payload)) return undefined;
  return payload;
}

async function writeCache(file: string, payload: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, Buffer.concat([Buffer.from(`${HEADER_MAGIC} ${sha256(payload)} ${payload.length}\n`, 'latin1'), payload]));
    await rename(temporary, file);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw err;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function defaultCacheDir(): string {
  const fromEnv = process.env[CACHE_DIR_VARIABLE];
  if (fromEnv) return fromEnv;
  const modules = path.resolve('node_modules');
  return existsSync(modules) ? path.join(modules, '.cache', 'meshspec') : path.join(tmpdir(), 'meshspec-cache');
}

let version: string | null | undefined;

/** PGlite's installed version: its package.json, found above the module Node resolves (it is not exported). */
function pgliteVersion(): string | undefined {
  if (version === undefined) version = readPgliteVersion() ?? null;
  return version ?? undefined;
}

function readPgliteVersion(): string | undefined {
  try {
    let folder = path.dirname(createRequire(import.meta.url).resolve(PACKAGE_NAME));
    for (;;) {
      const manifest = path.join(folder, 'package.json');
      if (existsSync(manifest)) {
        const { name, version: found } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
        if (name === PACKAGE_NAME && typeof found === 'string' && /^[\w.+-]+$/.test(found)) return found;
      }
      const parent = path.dirname(folder);
      if (parent === folder) return undefined;
      folder = parent;
    }
  } catch {
    return undefined;
  }
}
