// The hook verdicts on disk, in node_modules/.cache/meshspec/ (where eslint and babel keep theirs):
// one file per hooks folder. The cache only ever saves time: a project without node_modules, a
// folder that cannot be written, or a file that is missing, corrupt or from another meshspec all
// mean no verdicts, and every hook file is read as if there had never been a cache.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { meshspecPackage } from '../package.js';
import { digest, type HookVerdict, type HookVerdicts } from './verdicts.js';

const FORMAT = 1;

/** Verdicts as read from disk, and the text they were read from (a run that changes none writes nothing). */
export interface StoredVerdicts {
  verdicts: HookVerdicts;
  file: string;
  text: string | undefined;
}

/** The cache file for a hooks folder of the project at `root`; undefined when the project has no node_modules. */
export function verdictFile(root: string, hooksDir: string): string | undefined {
  const modules = path.join(root, 'node_modules');
  try {
    readdirSync(modules);
  } catch {
    return undefined;
  }
  return path.join(modules, '.cache', 'meshspec', `hooks-${digest(hooksDir).slice(0, 16)}.json`);
}

/** The verdicts kept for the hooks folder; undefined when the project has no place for a cache. */
export function loadVerdicts(root: string, hooksDir: string): StoredVerdicts | undefined {
  const file = verdictFile(root, hooksDir);
  if (file === undefined) return undefined;
  const generator = generatorFingerprint();
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { verdicts: { generator, byPath: new Map() }, file, text: undefined };
  }
  return { verdicts: { generator, byPath: parseVerdicts(text, generator) ?? new Map() }, file, text };
}

/** Writes the verdicts when they changed; a failure to write leaves the run as it was, only slower next time. */
export function saveVerdicts(stored: StoredVerdicts): void {
  const { verdicts, file } = stored;
  const hooks = Object.fromEntries([...verdicts.byPath].sort(([a], [b]) => (a < b ? -1 : 1)));
  const text = `${JSON.stringify({ format: FORMAT, generator: verdicts.generator, hooks }, null, 1)}\n`;
  if (text === stored.text) return;
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, text, 'utf8');
    renameSync(temp, file); // atomic: a concurrent run reads the old file or the new one, never half of one
  } catch {
    rmSync(temp, { force: true });
  }
}

/** The verdicts in a cache file's text; undefined unless it is well-formed and from this very generator. */
function parseVerdicts(text: string, generator: string): Map<string, HookVerdict> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json) || json['format'] !== FORMAT || json['generator'] !== generator || !isRecord(json['hooks'])) return undefined;
  const byPath = new Map<string, HookVerdict>();
  for (const [file, value] of Object.entries(json['hooks'])) {
    if (!isVerdict(value)) return undefined;
    byPath.set(file, { content: value.content, expects: value.expects, warnings: [...value.warnings] });
  }
  return byPath;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVerdict(value: unknown): value is HookVerdict {
  return (
    isRecord(value) &&
    typeof value['content'] === 'string' &&
    typeof value['expects'] === 'string' &&
    Array.isArray(value['warnings']) &&
    value['warnings'].every((w) => typeof w === 'string')
  );
}

let fingerprint: string | undefined;

/**
 * What a verdict's outcome depends on besides the file and the spec: meshspec's version, the code of
 * the hook planner itself (this folder, so that a change to it in development is never masked by a
 * verdict of the code before) and the ts-morph that parses.
 */
function generatorFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const dir = import.meta.dirname;
  const code = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort()
    .map((name) => `${name}\n${readFileSync(path.join(dir, name), 'utf8')}`);
  const tsMorph = (createRequire(import.meta.url)('ts-morph/package.json') as { version: string }).version;
  fingerprint = `${meshspecPackage().version}+${digest(...code)}+ts-morph@${tsMorph}`;
  return fingerprint;
}
