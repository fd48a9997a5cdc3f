// The spec's `http` (a service's binding and extra routes) and the mesh's `runtime.http.binding`, from
// spec to model: the service wins, then the mesh, then `node`; extra routes only where a service asks.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_BINDING, HTTP_BINDINGS, type HttpBinding } from '../../../generator/language/http-defaults.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { compileSpec } from '../../../generator/pipeline.js';
import type { HttpBindingName } from '../../../runtime/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-http-binding-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let cases = 0;
/** Compiles a mesh with `runtime` lines (or none) and services `orders` and `users` with their own `http` lines (or none). */
async function compile(runtime: string | null, orders: string | null, users: string | null = null): Promise<MeshModel> {
  const dir = path.join(root, `case${cases++}`);
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  const mesh = ['mesh: shop', 'version: 1.0.0', ...(runtime === null ? [] : ['runtime:', `  ${runtime}`])];
  await writeFile(path.join(dir, 'spec/mesh.yaml'), `${mesh.join('\n')}\n`);
  const service = (name: string, port: number, http: string | null) =>
    [`service: ${name}`, `ports: { http: ${port} }`, ...(http === null ? [] : [`http: ${http}`])].join('\n') + '\n';
  await writeFile(path.join(dir, 'spec/services/orders.yaml'), service('orders', 3001, orders));
  await writeFile(path.join(dir, 'spec/services/users.yaml'), service('users', 3002, users));
  const result = await compileSpec('spec', dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!;
}

const of = (model: MeshModel, name: string) => {
  const service = model.services.find((s) => s.name === name)!;
  return { binding: service.binding, extraRoutes: service.extraRoutes };
};

describe('http in the model', () => {
  it('is the node binding without extra routes when neither file says anything', async () => {
    const model = await compile(null, null);
    expect(of(model, 'orders')).toEqual({ binding: 'node', extraRoutes: false });
    expect(of(await compile('http: {}', '{}'), 'orders')).toEqual({ binding: 'node', extraRoutes: false });
  });

  it("takes the mesh's runtime.http.binding for every service that names none", async () => {
    const model = await compile('http: { binding: express }', '{ extraRoutes: true }');
    expect(of(model, 'orders')).toEqual({ binding: 'express', extraRoutes: true });
    expect(of(model, 'users')).toEqual({ binding: 'express', extraRoutes: false });
  });

  it("lets a service's own binding win over the mesh's, either way", async () => {
    const model = await compile('http: { binding: express }', '{ binding: node }', '{ binding: express, extraRoutes: false }');
    expect(of(model, 'orders')).toEqual({ binding: 'node', extraRoutes: false });
    expect(of(model, 'users')).toEqual({ binding: 'express', extraRoutes: false });
    const nodeMesh = await compile('http: { binding: node }', '{ binding: express }');
    expect(of(nodeMesh, 'orders')).toEqual({ binding: 'express', extraRoutes: false });
    expect(of(nodeMesh, 'users')).toEqual({ binding: 'node', extraRoutes: false });
  });

  it("names the runtime's bindings, in the language's schema too", () => {
    // Both directions: a binding the runtime adds or drops fails to type-check here.
    type Same = [HttpBindingName] extends [HttpBinding] ? ([HttpBinding] extends [HttpBindingName] ? true : false) : false;
    const same: Same = true;
    expect(same).toBe(true);
    expect(DEFAULT_HTTP_BINDING).toBe('node');
    const schema = createRequire(import.meta.url)('../../../generator/language/schema/meshspec.schema.json') as {
      $defs: { httpBinding: { enum: string[] } };
    };
    expect(schema.$defs.httpBinding.enum).toEqual([...HTTP_BINDINGS]);
  });
});
