// The folder layout is the architecture: dependencies point one way, language -> model -> emit ->
// writer, with generator/naming and common/ neutral, and the runtime never importing the generator.
// This reads every import of the repository's own modules and fails on an edge the layout forbids.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/project.js';

/** Each part, and the parts it may import (besides itself, node builtins and packages). */
const allowed: Record<string, readonly string[]> = {
  common: [],
  'generator/naming': ['common'],
  'generator/language': ['generator/naming', 'common'],
  'generator/model': ['generator/language', 'generator/naming', 'common'],
  'generator/emit': ['generator/model', 'generator/naming', 'common'],
  // The caches hold digests and what a run reported (the language's diagnostics); any stage may consult them.
  'generator/cache': ['generator/language', 'generator/package'],
  'generator/hooks': ['generator/model', 'generator/naming', 'generator/cache', 'common'],
  'generator/writer': ['generator/emit'],
  // `meshspec diff`: compares two compiled models, positions in the loader's documents, runs buf on the proto emitter's files.
  'generator/diff': ['generator/language', 'generator/model', 'generator/emit', 'generator/naming'],
  // The pipeline wires the stages together; the CLI prints what it returns and runs the dev stack.
  'generator/pipeline': ['generator/language', 'generator/model', 'generator/naming', 'generator/package', 'common'],
  // meshspec's own package.json: its version and root, read by the pipeline and by init.
  'generator/package': [],
  'generator/layout-error': [],
  'generator/generate': ['generator/layout-error', 'generator/pipeline', 'generator/emit', 'generator/hooks', 'generator/writer', 'generator/model', 'generator/language', 'generator/naming', 'generator/cache'],
  // Scaffolding a project names files as the generator does and writes through the writer; the CLI runs generate after it.
  'generator/init': ['generator/naming', 'generator/writer', 'generator/package'],
  // common: `dev --processes` sets the variables the runtime reads (MESH_<SERVICE>_HTTP), spelled by the same function.
  'generator/cli': ['generator/layout-error', 'generator/pipeline', 'generator/generate', 'generator/diff', 'generator/init', 'generator/package', 'generator/language', 'generator/naming', 'generator/cache', 'runtime', 'common'],
  runtime: ['common'],
};

const parts = Object.keys(allowed).sort((a, b) => b.length - a.length);

function partOf(file: string): string | undefined {
  const relative = path.relative(repoRoot, file).split(path.sep).join('/').replace(/\.(ts|js)$/, '');
  return parts.find((p) => relative === p || relative.startsWith(`${p}/`));
}

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Relative module specifiers of `import`/`export ... from` and dynamic `import()` in a file, that
 * name a module of the repository: an import inside a template string (the files `init` writes)
 * names a file of the project being written, not one here.
 */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return found.map((spec) => path.resolve(path.dirname(file), spec)).filter((target) => existsSync(target.replace(/\.js$/, '.ts')) || existsSync(target));
}

/** Package specifiers (value imports, not `import type`) loaded by a module and everything it imports, transitively. */
function packagesLoadedBy(entry: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    }
  };
  visit(entry);
  return [...packages].sort();
}

/**
 * Repository modules a module loads (value imports and dynamic imports, not `import type`), itself
 * included, transitively; `meshspec/runtime/<x>` is the package's subpath, runtime/<x>/index.ts.
 */
function modulesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...[...text.matchAll(/^(?:import|export)(?!\s+type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!),
      ...[...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!),
      ...[...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!),
    ];
    for (const spec of specs) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else if (spec.startsWith('meshspec/runtime')) visit(path.join(repoRoot, spec.replace(/^meshspec\//, ''), 'index.ts'));
    }
  };
  visit(entry);
  return seen;
}

describe('architecture', () => {
  const files = [...sources('generator'), ...sources('runtime'), ...sources('common')];

  it('finds the parts it checks (so an empty scan cannot pass)', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const part of ['common', 'generator/naming', 'generator/language', 'generator/model', 'generator/emit', 'runtime']) {
      expect(files.some((f) => partOf(f) === part), part).toBe(true);
    }
  });

  it('has every dependency point the way the layout says', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = partOf(file);
      if (from === undefined) continue;
      for (const target of relativeImports(file)) {
        const to = partOf(target);
        if (to === undefined || to === from || allowed[from]!.includes(to)) continue;
        violations.push(`${path.relative(repoRoot, file)} (${from}) imports ${path.relative(repoRoot, target)} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps the runtime core (meshspec/runtime) free of server, client, broker, logger and validator libraries', () => {
    // A module that only needs an error class imports the core: what it loads is what this closure
    // holds. The features load their libraries behind their own subpaths (meshspec/runtime/http, ...).
    const packages = packagesLoadedBy(path.join(repoRoot, 'runtime/index.ts'));
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
    // The check sees packages: the HTTP feature's closure holds Express and undici.
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/http/index.ts'))).toEqual(expect.arrayContaining(['express', 'undici']));
  });

  it('keeps the signed identity (meshspec/runtime/identity) on node:crypto alone: every service request verifies it', () => {
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/identity/index.ts')).filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/gateway/auth/index.ts'))).toContain('jose');
  });

  it('loads Express only for a service on the Express binding: the host imports it on demand', () => {
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/host/index.ts'))).not.toContain('express');
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/http/express/server.ts'))).toContain('express');
  });

  it('keeps ioredis behind the Redis idempotency entry, out of meshspec/runtime/idempotency', () => {
    const memory = packagesLoadedBy(path.join(repoRoot, 'runtime/idempotency/index.ts'));
    expect(memory.filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/idempotency/redis.ts'))).toContain('ioredis');
  });

  it('loads a broker library only with its adapter: the bus and the host import the adapters when configured', () => {
    for (const entry of ['runtime/bus/index.ts', 'runtime/host/index.ts', 'runtime/dev/index.ts']) {
      const loaded = packagesLoadedBy(path.join(repoRoot, entry));
      expect(loaded, entry).not.toContain('ioredis');
      expect(loaded, entry).not.toContain('amqplib');
    }
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/bus/redis/index.ts'))).toContain('ioredis');
    expect(packagesLoadedBy(path.join(repoRoot, 'runtime/bus/rabbitmq/index.ts'))).toContain('amqplib');
  });

  it('keeps the dev dashboard inside the dev stack: only runtime/dev imports runtime/dev/dashboard', () => {
    const dashboard = path.join(repoRoot, 'runtime/dev/dashboard');
    const devStack = path.join(repoRoot, 'runtime/dev');
    const generated = existsSync(path.join(repoRoot, 'generated')) ? sources('generated') : [];
    const offenders = [...files, ...generated].flatMap((file) => {
      if (file.startsWith(devStack + path.sep)) return [];
      const text = readFileSync(file, 'utf8');
      const packaged = /'meshspec\/runtime\/dev\/dashboard/.test(text);
      const relative = relativeImports(file).some((target) => target.startsWith(dashboard + path.sep));
      return packaged || relative ? [path.relative(repoRoot, file)] : [];
    });
    expect(offenders).toEqual([]);
  });

  it('never loads the dev stack (nor its dashboard) in a production process: the host, the gateway, generated main.ts', () => {
    const generatedMains = existsSync(path.join(repoRoot, 'generated'))
      ? sources('generated').filter((file) => path.basename(file) === 'main.ts')
      : [];
    expect(generatedMains.length).toBeGreaterThan(0);
    const entries = ['runtime/host/index.ts', 'runtime/host/main.ts', 'runtime/gateway/index.ts', 'runtime/gateway/run.ts'].map((e) => path.join(repoRoot, e));
    for (const entry of [...entries, ...generatedMains]) {
      const loaded = [...modulesLoadedBy(entry)].map((file) => path.relative(repoRoot, file).split(path.sep).join('/'));
      expect(loaded.length, entry).toBeGreaterThan(1);
      expect(loaded.filter((file) => file.startsWith('runtime/dev/')), path.relative(repoRoot, entry)).toEqual([]);
    }
    // The check sees the dev stack where it is loaded.
    expect([...modulesLoadedBy(path.join(repoRoot, 'runtime/dev/index.ts'))].some((file) => file.includes(`${path.sep}dashboard${path.sep}`))).toBe(true);
  });

  it('would report an edge against the layout', () => {
    expect(allowed['runtime']).not.toContain('generator/emit');
    expect(partOf(path.join(repoRoot, 'generator/emit/proto/rpc.ts'))).toBe('generator/emit');
    expect(partOf(path.join(repoRoot, 'generator/generate.ts'))).toBe('generator/generate');
  });
});
