// The hook verdicts on disk, one cache file per hooks folder (generator/cache/folder.ts). A file that
// is missing, corrupt or from another generator means no verdicts: every hook file is read.
import { cacheFile, digest, isRecord, isStringArray, parseCache, readCache, writeCache } from '../cache/folder.js';
import { generatorFingerprint } from '../cache/fingerprint.js';
import type { HookVerdict, HookVerdicts } from './verdicts.js';

const FORMAT = 1;

/** Verdicts as read from disk, and the text they were read from (a run that changes none writes nothing). */
export interface StoredVerdicts {
  verdicts: HookVerdicts;
  file: string;
  text: string | undefined;
}

/** The verdicts kept for the hooks folder; undefined when the project has no place for a cache. */
export function loadVerdicts(root: string, hooksDir: string): StoredVerdicts | undefined {
  const file = cacheFile(root, `hooks-${digest(hooksDir).slice(0, 16)}.json`);
  if (file === undefined) return undefined;
  const generator = generatorFingerprint();
  const text = readCache(file);
  return { verdicts: { generator, byPath: parseVerdicts(text, generator) ?? new Map() }, file, text };
}

/** Writes the verdicts when they changed; a failure to write leaves the run as it was, only slower next time. */
export function saveVerdicts(stored: StoredVerdicts): void {
  const { verdicts, file } = stored;
  const hooks = Object.fromEntries([...verdicts.byPath].sort(([a], [b]) => (a < b ? -1 : 1)));
  const text = `${JSON.stringify({ format: FORMAT, generator: verdicts.generator, hooks }, null, 1)}\n`;
  if (text !== stored.text) writeCache(file, text);
}

/** The verdicts in a cache file's text; undefined unless it is well-formed and from this very generator. */
function parseVerdicts(text: string | undefined, generator: string): Map<string, HookVerdict> | undefined {
  const json = parseCache(text);
  if (json?.['format'] !== FORMAT || json['generator'] !== generator || !isRecord(json['hooks'])) return undefined;
  const byPath = new Map<string, HookVerdict>();
  for (const [file, value] of Object.entries(json['hooks'])) {
    if (!isVerdict(value)) return undefined;
    byPath.set(file, { content: value.content, expects: value.expects, warnings: [...value.warnings] });
  }
  return byPath;
}

function isVerdict(value: unknown): value is HookVerdict {
  return isRecord(value) && typeof value['content'] === 'string' && typeof value['expects'] === 'string' && isStringArray(value['warnings']);
}
