// The benchmarks build against their own mesh (bench/spec -> bench/generated, bench/hooks), never
// the project's: a user who replaces spec/ and hooks/ with their own keeps a green `tsc`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

const benchDir = path.join(repoRoot, 'bench');

/** Every .ts file of bench/, with the project-relative modules it imports. */
function benchImports(): { file: string; targets: string[] }[] {
  return readdirSync(benchDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
      return { file: path.relative(repoRoot, file), targets: specifiers.map((s) => path.relative(repoRoot, path.resolve(path.dirname(file), s))) };
    });
}

describe('bench/', () => {
  it('imports generated code and hooks only from its own mesh', () => {
    const all = benchImports();
    expect(all.some((f) => f.targets.some((t) => t.startsWith('bench/generated/')))).toBe(true);
    const foreign = all.flatMap((f) => f.targets.filter((t) => /^(generated|hooks|spec)\//.test(t)).map((t) => `${f.file} imports ${t}`));
    expect(foreign).toEqual([]);
  });
});
