// meshspec/runtime/storage loads neither engine's library until openDatabase picks one: a service on
// PostgreSQL never loads the WASM build, an embedded one never loads `pg`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

/** Packages loaded by static value imports of `entry` and of the modules it imports, transitively. */
function staticPackages(entry: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    }
  };
  visit(entry);
  return [...packages].sort();
}

describe('meshspec/runtime/storage', () => {
  it('loads no engine library statically; each engine module loads its own', () => {
    const storage = (file: string) => path.join(repoRoot, 'runtime/storage', file);
    expect(staticPackages(storage('index.ts')).filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(staticPackages(storage('pg.ts'))).toContain('pg');
    expect(staticPackages(storage('pg.ts'))).not.toContain('@electric-sql/pglite');
    expect(staticPackages(storage('pglite.ts'))).toContain('@electric-sql/pglite');
    expect(staticPackages(storage('pglite.ts'))).not.toContain('pg');
  });

  it('opens the engine asked for, and refuses an unknown one', async () => {
    const { openDatabase } = await import('../../../runtime/storage/index.js');
    const db = await openDatabase({ engine: 'pg', name: 'orders', url: 'postgres://127.0.0.1:1/none' });
    expect(db.engine).toBe('pg');
    await db.close();
    await expect(openDatabase({ engine: 'sqlite', name: 'orders' } as never)).rejects.toThrow("unknown database engine 'sqlite': use 'pg' or 'pglite'");
  });
});
