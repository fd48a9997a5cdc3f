// The up-to-date stamp: what a `generate` that ended with the project up to date read and left. When
// the spec and hook files are byte for byte the ones it read, the generator is the same, and every
// file in the output folder is the one it left (no more, no fewer), another run would write nothing
// and report the same: the CLI reports that without compiling the spec, emitting or loading either.
// Any difference, or no readable stamp, and `generate` runs in full. A run records a stamp only when
// it wrote no hook file and the output folder holds nothing it did not write.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../language/diagnostics.js';
import { cacheFile, digest, isRecord, isStringArray, parseCache, readCache, writeCache } from './folder.js';
import { generatorFingerprint } from './fingerprint.js';

const FORMAT = 1;

/** The folders of a run, as given (relative to the project root). */
export interface StampLayout {
  root: string;
  specDir: string;
  outDir: string;
  hooksDir: string;
}

/** What an up-to-date run reported, to be reported again. */
export interface StampSummary {
  /** Warnings about the spec (a run with errors records no stamp). */
  diagnostics: Diagnostic[];
  hookWarnings: string[];
  fileCount: number;
  lineCount: number;
}

/** The stamp file of a layout and the digest of its inputs as they are now; undefined without a cache. */
export interface StampInputs {
  file: string;
  inputs: string;
}

/** Reads the inputs of a run (spec and hook files); call before the run reads them itself, so a later edit cannot hide. */
export function stampInputs(layout: StampLayout): StampInputs | undefined {
  const file = cacheFile(layout.root, `stamp-${digest(layout.specDir, layout.outDir, layout.hooksDir).slice(0, 16)}.json`);
  if (file === undefined) return undefined;
  const spec = files(layout.root, layout.specDir, true);
  if (spec === undefined) return undefined;
  // The migrations folders too: a starter migration is created while a folder holds no `.sql` file.
  const hooks = [...(files(layout.root, layout.hooksDir, false) ?? []), ...(files(layout.root, migrationsRoot(layout.hooksDir), true) ?? [])];
  const inputs = digest(generatorFingerprint(), layout.specDir, layout.outDir, layout.hooksDir, ...spec.map(entry), '--', ...hooks.map(entry));
  return { file, inputs };
}

/** The summary of the stamp when it still holds for the project as it is now; undefined otherwise. */
export function readStamp(layout: StampLayout): StampSummary | undefined {
  const now = stampInputs(layout);
  if (now === undefined) return undefined;
  const json = parseCache(readCache(now.file));
  if (json?.['format'] !== FORMAT || json['inputs'] !== now.inputs) return undefined;
  const outputs = json['outputs'];
  const summary = json['summary'];
  if (!isRecord(outputs) || !isSummary(summary)) return undefined;
  const present = files(layout.root, layout.outDir, true) ?? [];
  if (present.length !== Object.keys(outputs).length) return undefined;
  for (const e of present) if (e.error !== undefined || outputs[e.path] !== digest(e.text)) return undefined;
  return summary;
}

/** Records a stamp: the inputs read before the run, the output folder's files as it left them, its report. */
export function writeStamp(at: StampInputs, outputs: readonly { path: string; content: string }[], summary: StampSummary): void {
  const digests = Object.fromEntries(outputs.map((f) => [f.path, digest(f.content)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
  writeCache(at.file, `${JSON.stringify({ format: FORMAT, inputs: at.inputs, outputs: digests, summary })}\n`);
}

/**
 * The folder of the services' migrations folders, as generator/naming's migrationsRoot names it (the
 * cache may not import the naming; test/unit/cache/stamp.test.ts holds the two together).
 *
 * @param hooksDir the hooks folder (`` for the project root)
 * @example migrationsRoot('hooks') // 'hooks/migrations'
 */
export function migrationsRoot(hooksDir: string): string {
  return hooksDir === '' ? 'migrations' : `${hooksDir}/migrations`;
}

function entry(e: Entry): string {
  return e.error === undefined ? `${e.path}\nfile\n${e.text}` : `${e.path}\nerror\n${e.error}`;
}

/**
 * The files below `dir` (or directly in it), project-relative with `/`, sorted, with their text;
 * undefined when `dir` is no folder. Symbolic links are followed, as the generator's reads follow
 * them (a linked folder is walked once); what cannot be read counts by its error.
 */
function files(root: string, dir: string, recursive: boolean): Entry[] | undefined {
  const found: Entry[] = [];
  const walked = new Set<string>();
  const walk = (abs: string): boolean => {
    let names: string[];
    try {
      const real = realpathSync(abs);
      if (walked.has(real)) return true;
      walked.add(real);
      names = readdirSync(abs).sort();
    } catch {
      return false;
    }
    for (const name of names) {
      const full = path.join(abs, name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      let stats;
      try {
        stats = statSync(full);
      } catch (error) {
        found.push({ path: relative, error: (error as NodeJS.ErrnoException).code ?? 'error' });
        continue;
      }
      if (stats.isDirectory()) {
        if (recursive) walk(full);
      } else {
        found.push(readEntry(relative, full));
      }
    }
    return true;
  };
  if (!walk(path.join(root, dir))) return undefined;
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A file's text, or why it could not be read. */
type Entry = { path: string; text: string; error?: undefined } | { path: string; error: string };

function readEntry(relative: string, file: string): Entry {
  try {
    return { path: relative, text: readFileSync(file, 'utf8') };
  } catch (error) {
    return { path: relative, error: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
}

function isSummary(value: unknown): value is StampSummary {
  return (
    isRecord(value) &&
    Array.isArray(value['diagnostics']) &&
    value['diagnostics'].every(isDiagnostic) &&
    isStringArray(value['hookWarnings']) &&
    Number.isInteger(value['fileCount']) &&
    Number.isInteger(value['lineCount'])
  );
}

function isDiagnostic(value: unknown): value is Diagnostic {
  return (
    isRecord(value) &&
    (value['severity'] === 'error' || value['severity'] === 'warning') &&
    ['code', 'message', 'file'].every((key) => typeof value[key] === 'string') &&
    Number.isInteger(value['line']) &&
    Number.isInteger(value['col'])
  );
}
