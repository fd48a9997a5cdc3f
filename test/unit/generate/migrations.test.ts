// A service's migrations folder through generate(), on a real project folder: the starter is created
// once, beside the hook files; an edited, renamed or replaced starter is left alone; removing
// `storage` deletes nothing; and the generated host finds the folder from any --out/--hooks layout.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-migrations-'));
  await mkdir(path.join(root, 'spec/services'), { recursive: true });
  await writeFile(path.join(root, 'spec/mesh.yaml'), 'mesh: shop\nversion: 1.0.0\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes the orders service with `storage` as given (a YAML line, or none). */
async function ordersSpec(storage: string | null): Promise<void> {
  const lines = ['service: orders', 'ports: { http: 3001 }', ...(storage === null ? [] : [storage]), 'endpoints:', '  listOrders:', '    http: GET /orders'];
  await writeFile(path.join(root, 'spec/services/orders.yaml'), `${lines.join('\n')}\n`);
}

async function run(outDir = 'generated', hooksDir = 'hooks'): Promise<string[]> {
  const result = await generate({ root, specDir: 'spec', outDir, hooksDir, check: false });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.hookChanges;
}

const starter = () => path.join(root, 'hooks/migrations/orders/0001_init.sql');

describe('the migrations folder of a service with storage', () => {
  it('is created once with a comments-only starter, and an edited starter is never overwritten', async () => {
    await ordersSpec('storage: postgres');
    expect(await run()).toContain("hooks/migrations/orders/0001_init.sql: created, the first migration of the service's database (comments only)");
    const text = await readFile(starter(), 'utf8');
    expect(text).toContain('-- Migrations of the `orders` database');
    expect(text.split('\n').filter((l) => l !== '' && !l.startsWith('--'))).toEqual([]);

    await writeFile(starter(), 'create table orders (id text primary key);\n');
    expect(await run()).toEqual([]);
    expect(await readFile(starter(), 'utf8')).toBe('create table orders (id text primary key);\n');
  });

  it('gets no starter again once it holds a migration of another name', async () => {
    await ordersSpec('storage: postgres');
    await run();
    await rename(starter(), path.join(root, 'hooks/migrations/orders/0001_orders.sql'));
    expect(await run()).toEqual([]);
    expect(await readdir(path.join(root, 'hooks/migrations/orders'))).toEqual(['0001_orders.sql']);
  });

  it('is kept when storage leaves the spec, and nothing is created for a service without storage', async () => {
    await ordersSpec(null);
    await run();
    expect(existsSync(path.join(root, 'hooks/migrations'))).toBe(false);
    await ordersSpec('storage: { engine: postgres, pool: 5 }');
    await run();
    await ordersSpec(null);
    await run();
    expect(existsSync(starter())).toBe(true);
    expect(await readFile(path.join(root, 'generated/orders/host.ts'), 'utf8')).not.toContain('storage');
  });

  it('is found by the generated host from its own module, whatever the layout', async () => {
    await ordersSpec('storage: { engine: postgres, pool: 5 }');
    await run('build/gen', 'src/hooks');
    const host = await readFile(path.join(root, 'build/gen/orders/host.ts'), 'utf8');
    const url = /new URL\('([^']+)', import\.meta\.url\)/.exec(host)?.[1];
    expect(url).toBeDefined();
    expect(path.resolve(root, 'build/gen/orders', url!)).toBe(path.join(root, 'src/hooks/migrations/orders'));
    expect(existsSync(path.join(root, 'src/hooks/migrations/orders/0001_init.sql'))).toBe(true);
    expect(host).toContain('poolSize: 5 }');
  });
});
