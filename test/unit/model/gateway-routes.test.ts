// A gateway route's methods, body limit and timeout, from spec to model to generated/gateway/routes.ts:
// methods derived from the endpoints under the route's rewrite (HEAD beside GET, always OPTIONS),
// the spec's own list instead when it has one, none for a service whose hook file adds routes; the
// limits only where the spec sets them.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitGateway } from '../../../generator/emit/gateway/index.js';
import { GATEWAY_METHOD_ORDER } from '../../../generator/model/gateway-routes.js';
import type { GatewayRouteModel, MeshModel } from '../../../generator/model/types.js';
import { defaultLayout, outputFiles } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';
import { GATEWAY_METHODS } from '../../../runtime/gateway/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-gateway-routes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const USERS = `service: users
ports: { http: 3001 }
endpoints:
  createUser:
    http: POST /users
  getUser:
    http: GET /users/{id}
  deleteUser:
    http: DELETE /users/{id}
  setFlags:
    http: PUT /admin/flags
`;
const UPLOADS = `service: uploads
ports: { http: 3002 }
http: { extraRoutes: true }
endpoints:
  getUpload:
    http: GET /uploads/{id}
`;

let cases = 0;
/** Compiles a mesh whose gateway has `routes` (YAML flow maps) in front of `users` and `uploads`. */
async function compile(routes: string[]): Promise<MeshModel> {
  const dir = path.join(root, `case${cases++}`);
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  const mesh = ['mesh: shop', 'version: 1.0.0', 'gateway:', '  port: 8080', '  timeout: 10s', '  bodyLimit: 1mb', '  routes:', ...routes.map((r) => `    - ${r}`)];
  await writeFile(path.join(dir, 'spec/mesh.yaml'), `${mesh.join('\n')}\n`);
  await writeFile(path.join(dir, 'spec/services/users.yaml'), USERS);
  await writeFile(path.join(dir, 'spec/services/uploads.yaml'), UPLOADS);
  const result = await compileSpec('spec', dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!;
}

const routeOf = (model: MeshModel, prefix: string): GatewayRouteModel => model.gateway!.routes.find((r) => r.prefix === prefix)!;

describe('gateway route methods, body limit and timeout in the model', () => {
  it('derives the methods of the endpoints under the rewrite, with HEAD beside GET and OPTIONS', async () => {
    const model = await compile([
      '{ prefix: /api/users, service: users, rewrite: /users }',
      '{ prefix: /api/admin, service: users, rewrite: /admin }',
      '{ prefix: /api/one, service: users, rewrite: /users/me }',
    ]);
    expect(routeOf(model, '/api/users').methods).toEqual(['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS']);
    // No GET under /admin: no HEAD either.
    expect(routeOf(model, '/api/admin').methods).toEqual(['PUT', 'OPTIONS']);
    // `/users/me` is reached by `{id}`: GET and DELETE, not POST /users (above the rewrite).
    expect(routeOf(model, '/api/one').methods).toEqual(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
  });

  it("takes the spec's list instead, and forwards every method to a service whose hook file adds routes", async () => {
    const model = await compile([
      '{ prefix: /api/users, service: users, rewrite: /users, methods: [DELETE, GET] }',
      '{ prefix: /api/uploads, service: uploads, rewrite: /uploads }',
      '{ prefix: /api/files, service: uploads, rewrite: /uploads, methods: [POST] }',
    ]);
    expect(routeOf(model, '/api/users').methods).toEqual(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
    expect(routeOf(model, '/api/uploads').methods).toBeUndefined();
    expect(routeOf(model, '/api/files').methods).toEqual(['POST', 'OPTIONS']);
  });

  it('converts a route\'s bodyLimit and timeout, larger or smaller than the gateway\'s, and leaves them out when unset', async () => {
    const model = await compile([
      '{ prefix: /api/users, service: users, rewrite: /users, bodyLimit: 64kb, timeout: 3s }',
      '{ prefix: /api/admin, service: users, rewrite: /admin, timeout: 1m }',
      '{ prefix: /api/people, service: users, rewrite: /users }',
    ]);
    expect(routeOf(model, '/api/users')).toMatchObject({ bodyLimitBytes: 65_536, timeoutMs: 3_000 });
    expect(routeOf(model, '/api/admin').timeoutMs).toBe(60_000);
    expect(routeOf(model, '/api/admin').bodyLimitBytes).toBeUndefined();
    expect(Object.keys(routeOf(model, '/api/people'))).not.toContain('timeoutMs');
  });

  it('writes the methods and the limits into generated/gateway/routes.ts', async () => {
    const model = await compile([
      '{ prefix: /api/users, service: users, rewrite: /users, bodyLimit: 64kb, timeout: 3s }',
      '{ prefix: /api/uploads, service: uploads, rewrite: /uploads }',
    ]);
    const routes = emitGateway(model, { layout: defaultLayout }).find((f) => f.path === outputFiles.gatewayRoutes)!.content;
    expect(routes).toContain("methods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS']");
    expect(routes).toContain('bodyLimitBytes: 65536');
    expect(routes).toContain('timeoutMs: 3000');
    // The uploads route has no list: its block names no methods.
    const uploads = routes.slice(routes.indexOf("prefix: '/api/uploads'"));
    expect(uploads.slice(0, uploads.indexOf('}'))).not.toContain('methods');
  });

  it('orders methods as the runtime names them in Allow', () => {
    expect(GATEWAY_METHOD_ORDER).toEqual(GATEWAY_METHODS);
  });
});
