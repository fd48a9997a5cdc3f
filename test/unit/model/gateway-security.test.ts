// The gateway's security settings from spec to generated code and manifests: the routes.ts literal
// in the runtime's terms, and on Kubernetes the secret variables from the Secrets the operator
// creates (the JWT key, the rate limits' Redis URL, the identity keys on every Deployment).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { emitGateway } from '../../../generator/emit/gateway/index.js';
import { emitKubernetes } from '../../../generator/emit/kubernetes/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';
import { compileSpec } from '../../../generator/pipeline.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshspec-gateway-security-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const USERS = ['service: users', 'ports: { http: 3002 }', 'endpoints:', '  getUser:', '    http: GET /users/{id}', '  verifyToken:', '    http: GET /auth/verify'].join('\n');
const ORDERS = ['service: orders', 'ports: { http: 3001 }', 'endpoints:', '  getOrder:', '    http: GET /orders/{id}'].join('\n');

let cases = 0;
/** Compiles a mesh whose gateway holds `gateway` lines (indented under `gateway:`) and `extra` top-level lines. */
async function compile(gateway: string[], extra: string[] = []): Promise<MeshModel> {
  const dir = path.join(root, `case${cases++}`);
  await mkdir(path.join(dir, 'spec/services'), { recursive: true });
  const mesh = [
    'mesh: shop', 'version: 1.0.0', ...extra, 'gateway:', '  port: 8080', ...gateway.map((l) => `  ${l}`),
    '  routes:', '    - { prefix: /api/orders, service: orders, rewrite: /orders }',
  ];
  await writeFile(path.join(dir, 'spec/mesh.yaml'), `${mesh.join('\n')}\n`);
  await writeFile(path.join(dir, 'spec/services/users.yaml'), `${USERS}\n`);
  await writeFile(path.join(dir, 'spec/services/orders.yaml'), `${ORDERS}\n`);
  const result = await compileSpec('spec', dir);
  expect(result.diagnostics).toEqual([]);
  return result.model!;
}

function routesFile(model: MeshModel): string {
  return emitGateway(model, { layout: defaultLayout }).find((f) => f.path === 'gateway/routes.ts')?.content ?? '';
}

type Obj = Record<string, any>;
/** The Deployment of `k8s/<workload>.yaml`. */
function deployment(model: MeshModel, workload: string): Obj {
  const file = emitKubernetes(model, { layout: defaultLayout }).find((f) => f.path === `k8s/base/${workload}.yaml`);
  return parseAllDocuments(file?.content ?? '').map((d) => d.toJS() as Obj).find((o) => o.kind === 'Deployment') ?? {};
}
const secretEnv = (d: Obj): Obj[] => d.spec?.template?.spec?.containers?.[0]?.env ?? [];
const configMap = (model: MeshModel, workload: string): Obj => {
  const file = emitKubernetes(model, { layout: defaultLayout }).find((f) => f.path === `k8s/base/${workload}.yaml`);
  return parseAllDocuments(file?.content ?? '').map((d) => d.toJS() as Obj).find((o) => o.kind === 'ConfigMap')?.data ?? {};
};

describe('gateway security: generated config', () => {
  it('delegates to the endpoint\'s service and path, with its durations in ms, and knows where that service is', async () => {
    const model = await compile(['auth: { delegate: { call: users.verifyToken, cache: 1m, timeout: 500ms } }']);
    expect(model.gateway?.auth).toEqual({ delegate: { service: 'users', path: '/auth/verify', cacheTtlMs: 60_000, timeoutMs: 500 } });
    const routes = routesFile(model);
    expect(routes).toContain("delegate: { service: 'users', path: '/auth/verify', cacheTtlMs: 60000, timeoutMs: 500 }");
    // The runtime resolves the auth service like an upstream: its port is in the config and its URL in the ConfigMap.
    expect(routes).toContain("services: { orders: { httpPort: 3001 }, users: { httpPort: 3002 } }");
    expect(configMap(model, 'gateway')['MESH_USERS_HTTP']).toBe('http://users.shop.svc.cluster.local:3002');
    // No JWT key to read, but the identity keys still sign what the gateway asserts.
    expect(secretEnv(deployment(model, 'gateway')).map((e) => e.name)).toEqual(['MESH_IDENTITY_KEYS']);
  });

  it('names the public key variable for asymmetric algorithms, and the JWKS URL as given', async () => {
    const pem = await compile(['auth: { jwt: { algorithms: [RS256, ES256], keys: env:JWT_PUBLIC_KEY } }']);
    expect(pem.gateway?.auth).toEqual({ jwt: { algorithms: ['RS256', 'ES256'], publicKeyEnv: 'JWT_PUBLIC_KEY' } });
    expect(secretEnv(deployment(pem, 'gateway'))).toContainEqual({ name: 'JWT_PUBLIC_KEY', valueFrom: { secretKeyRef: { name: 'shop-gateway-auth', key: 'jwt_public_key' } } });
    const jwks = await compile(['auth: { jwt: { algorithms: [RS256], jwks: "http://localhost:9000/jwks.json", clockSkew: 5s } }']);
    expect(jwks.gateway?.auth).toEqual({ jwt: { algorithms: ['RS256'], jwksUrl: 'http://localhost:9000/jwks.json', clockToleranceSec: 5 } });
    expect(secretEnv(deployment(jwks, 'gateway')).map((e) => e.name)).toEqual(['MESH_IDENTITY_KEYS']);
  });

  it('gives every service Deployment, grouped or not, the identity keys when the gateway authenticates', async () => {
    const auth = ['auth: { jwt: { algorithms: [HS256], keys: env:JWT_SECRET } }'];
    const alone = await compile(auth);
    const grouped = await compile(auth, ['deploy:', '  groups:', '    core: { services: [orders, users] }']);
    const identity = { name: 'MESH_IDENTITY_KEYS', valueFrom: { secretKeyRef: { name: 'shop-identity', key: 'keys' } } };
    for (const [model, workload] of [[alone, 'orders'], [alone, 'users'], [grouped, 'core'], [alone, 'gateway']] as const) {
      expect(secretEnv(deployment(model, workload))).toContainEqual(identity);
    }
    expect(secretEnv(deployment(alone, 'gateway'))).toContainEqual({ name: 'JWT_SECRET', valueFrom: { secretKeyRef: { name: 'shop-gateway-auth', key: 'jwt_secret' } } });
  });

  it('references the rate limits\' Redis only when a limit, the gateway\'s or a route\'s, keeps its counts there', async () => {
    const memory = await compile(['rateLimit: { burst: 10, refill: 2/s }']);
    expect(memory.gateway?.rateLimit).toEqual({ algorithm: 'token-bucket', capacity: 10, refillPerSec: 2, store: 'memory', key: 'ip' });
    expect(secretEnv(deployment(memory, 'gateway'))).toEqual([]);
    const redis = await compile(['rateLimit: { max: 5, window: 10s, store: redis }']);
    expect(secretEnv(deployment(redis, 'gateway'))).toEqual([{ name: 'RATE_LIMIT_REDIS_URL', valueFrom: { secretKeyRef: { name: 'shop-rate-limit', key: 'url' } } }]);
  });

  it('generates what it did before for a gateway without any of it: no new keys, no secrets', async () => {
    const model = await compile([]);
    const routes = routesFile(model);
    for (const key of ['auth', 'rateLimit', 'cors', 'limits', 'trustedProxies', 'public']) expect(routes).not.toContain(`${key}:`);
    expect(secretEnv(deployment(model, 'gateway'))).toEqual([]);
    expect(secretEnv(deployment(model, 'orders'))).toEqual([]);
  });
});
