// Hook files whose service left the spec. They are the user's code, so meshspec only says so.
// Other modules in the hooks folder (helpers, tests) are not hook files: only a top-level `.ts`
// file that exports `handlers` counts.
import { posix } from 'node:path';
import type { MeshModel } from '../model/types.js';
import { hookPath, normalizePath } from './names.js';
import type { ParseResult } from './parse.js';

/** The top-level `.ts` files of the hooks folder that no service of the spec owns, sorted. */
export function orphanCandidates(model: MeshModel, hooksDir: string, files: readonly string[]): string[] {
  const dir = normalizePath(hooksDir) || '.';
  const owned = new Set(model.services.map((s) => hookPath(hooksDir, s.name)));
  return [...new Set(files.map(normalizePath))]
    .filter((f) => posix.dirname(f) === dir && f.endsWith('.ts') && !f.endsWith('.d.ts') && !owned.has(f))
    .sort();
}

/** The warnings for a candidate: one when it is a hook file (it exports `handlers`), else none. */
export function orphanWarnings(file: string, parsed: ParseResult): string[] {
  if (!parsed.ok || parsed.shape.handlers.kind === 'missing') return [];
  return [`${file} belongs to no service in the spec; meshspec leaves it (delete it when you no longer need it)`];
}
