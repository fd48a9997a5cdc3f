// A service's `storage`, from spec to model: both forms give the same engine, the pool size defaults
// to the runtime's own (runtime/storage/pg.ts, which the generator may not import), and a service
// without `storage` has no database.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE } from '../../../generator/language/storage-defaults.js';
import type { ServiceModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { PG_DEFAULTS } from '../../../runtime/storage/pg.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-storage-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let cases = 0;
/** Compiles a one-service spec whose service file has `storage` as given (a YAML line, or none). */
async function service(storage: string | null): Promise<ServiceModel> {
  const dir = path.join(root, `case${cases++}`);
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  await writeFile(path.join(dir, 'spec/mesh.yaml'), 'mesh: shop\nversion: 1.0.0\n');
  const lines = ['service: orders', 'ports: { http: 3001 }', ...(storage === null ? [] : [storage]), 'endpoints:', '  listOrders:', '    http: GET /orders'];
  await writeFile(path.join(dir, 'spec/services/orders.yaml'), `${lines.join('\n')}\n`);
  const result = await compileSpec('spec', dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!.services[0]!;
}

describe('storage in the model', () => {
  it("defaults the pool to the runtime's own default", () => {
    expect(DEFAULT_POOL_SIZE).toBe(PG_DEFAULTS.poolSize);
  });

  it('is null for a service without storage', async () => {
    expect((await service(null)).storage).toBeNull();
  });

  it('reads the short form with the default pool', async () => {
    expect((await service('storage: postgres')).storage).toEqual({ engine: 'postgres', poolSize: DEFAULT_POOL_SIZE });
  });

  it('reads the object form, with and without a pool, at the bounds of its range', async () => {
    expect((await service('storage: { engine: postgres }')).storage).toEqual({ engine: 'postgres', poolSize: DEFAULT_POOL_SIZE });
    expect((await service('storage: { engine: postgres, pool: 1 }')).storage).toEqual({ engine: 'postgres', poolSize: 1 });
    expect((await service('storage: { engine: postgres, pool: 100 }')).storage).toEqual({ engine: 'postgres', poolSize: 100 });
  });
});
