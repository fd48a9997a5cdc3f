// meshspec's cache folder, node_modules/.cache/meshspec/ (where eslint and babel keep theirs). The
// cache only ever saves time: without node_modules, or when a file cannot be read, parsed or written,
// there is simply no cache, and meshspec does everything as if there had never been one.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** sha256 (hex) of the parts, each one delimited so that ['ab', 'c'] and ['a', 'bc'] differ. */
export function digest(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}

/** The path of cache file `name` for the project at `root`; undefined when the project has no node_modules. */
export function cacheFile(root: string, name: string): string | undefined {
  const modules = path.join(root, 'node_modules');
  try {
    readdirSync(modules);
  } catch {
    return undefined;
  }
  return path.join(modules, '.cache', 'meshspec', name);
}

/** The file's text; undefined when it cannot be read. */
export function readCache(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Replaces the file atomically (a concurrent run reads the old text or the new, never half); failures are ignored. */
export function writeCache(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, text, 'utf8');
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** The JSON value of a cache file's text, when it is an object; undefined when it is anything else. */
export function parseCache(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    return isRecord(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
