// test/unit holds fast tests only: type-checking through the compiler (seconds per program) lives in
// test/integration/typescript, and child processes and servers in test/integration and test/e2e.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/project.js';

/** Test helpers that make a test slow: the compiler and child processes. */
const slow = ['test/support/typecheck', 'test/support/processes'];

describe('test/unit', () => {
  it('neither type-checks programs nor starts processes', () => {
    const unit = path.join(repoRoot, 'test/unit');
    const files = readdirSync(unit, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      // This file names what it looks for.
      .filter((e) => path.join(e.parentPath, e.name) !== import.meta.filename);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((e) => {
      const file = path.join(e.parentPath, e.name);
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
        path.relative(repoRoot, path.resolve(path.dirname(file), m[1]!)).replace(/\.(js|ts)$/, ''),
      );
      const uses = targets.filter((t) => slow.includes(t));
      if (/\bcreateProgram\(|'node:child_process'/.test(text)) uses.push('the compiler or child_process directly');
      return uses.map((u) => `${path.relative(repoRoot, file)} uses ${u}`);
    });
    expect(offenders).toEqual([]);
  });
});
