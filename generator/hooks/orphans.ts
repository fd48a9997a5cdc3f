// Hook files whose service left the spec. They are the user's code, so meshspec only says so.
// Other modules in the hooks folder (helpers, tests) are not hook files: only a top-level `.ts`
// file that exports `handlers` counts.
import { posix } from 'node:path';
import type { MeshModel } from '../model/types.js';
import { hookPath, normalizePath } from './names.js';
import type { ParseResult } from './parse.js';

export interface OrphanInput {
  model: MeshModel;
  hooksDir: string;
  files: readonly string[];
  read: (path: string) => string | undefined;
  parse: (text: string) => ParseResult;
}

export function orphanWarnings({ model, hooksDir, files, read, parse }: OrphanInput): string[] {
  const dir = normalizePath(hooksDir) || '.';
  const owned = new Set(model.services.map((s) => hookPath(hooksDir, s.name)));
  const candidates = [...new Set(files.map(normalizePath))]
    .filter((f) => posix.dirname(f) === dir && f.endsWith('.ts') && !f.endsWith('.d.ts') && !owned.has(f))
    .sort();
  return candidates
    .filter((f) => {
      const text = read(f);
      if (text === undefined) return false;
      const parsed = parse(text);
      return parsed.ok && parsed.shape.handlers.kind !== 'missing';
    })
    .map((f) => `${f} belongs to no service in the spec; meshspec leaves it (delete it when you no longer need it)`);
}
