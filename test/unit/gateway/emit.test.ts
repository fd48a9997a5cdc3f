import { DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import { describe, expect, it } from 'vitest';
import { emitGateway } from '../../../generator/emit/gateway/index.js';
import type { DeployModel, GatewayModel, MeshModel, ServiceModel } from '../../../generator/model/types.js';
import { defaultLayout } from '../../../generator/naming/index.js';

const deploy: DeployModel = {
  image: 'registry.example.com/shop/x:1.0.0',
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  shutdownDelayMs: 5000,
  env: [],
  secrets: [],
};

function service(name: string, http: number, file: string): ServiceModel {
  return {
    name,
    ports: { http, grpc: null },
    binding: 'node',
    extraRoutes: false,
    healthChecks: [],
    types: [],
    errors: [],
    endpoints: [],
    calls: [],
    publishes: [],
    subscribes: [],
    storage: null,
    deploy,
    file,
    source: { file, line: 1, col: 1 },
  };
}

const gateway: GatewayModel = {
  port: 8080,
  routes: [
    { prefix: '/api/v1/accounts', service: 'users', rewrite: '/accounts' },
    { prefix: '/api/v1/products', service: 'inventory', rewrite: '/products' },
    { prefix: '/api/v1/users', service: 'users', rewrite: '/users' },
    { prefix: '/api/v1/me', service: 'users', rewrite: '/' },
    { prefix: '/api/v1', service: 'users', rewrite: '/api/v1' },
  ],
  timeoutMs: 10000,
  bodyLimitBytes: 1048576,
  deploy,
  source: { file: 'mesh.yaml', line: 50, col: 1 },
};

function model(overrides: Partial<MeshModel> = {}): MeshModel {
  return {
    name: 'shop',
    version: '1.0.0',
    generatorVersion: '0.1.0',
    files: ['inventory.yaml', 'mesh.yaml', 'orders.yaml', 'users.yaml'],
    meshFile: 'mesh.yaml',
    policies: [],
    runtime: { bodyLimitBytes: 1048576, shutdownGraceMs: 10000, bus: { ...DEFAULT_BUS } },
    deploy: { namespace: 'shop', registry: 'registry.example.com/shop' },
    types: [],
    events: [],
    // `orders` has no route: it must not appear in the gateway's services.
    services: [service('users', 3001, 'users.yaml'), service('orders', 3002, 'orders.yaml'), service('inventory', 3004, 'inventory.yaml')],
    gateway,
    ...overrides,
  };
}

const options = { layout: defaultLayout };

describe('emitGateway', () => {
  it('emits nothing when the spec has no gateway', () => {
    expect(emitGateway(model({ gateway: null }), options)).toEqual([]);
  });

  it('emits routes.ts: routes in model order, routed services only, sorted by name', () => {
    const routes = emitGateway(model(), options).find((f) => f.path === 'gateway/routes.ts');
    expect(routes?.content).toBe(
      [
        "import type { GatewayConfig } from 'meshspec/runtime/gateway';",
        '',
        'export const gatewayConfig: GatewayConfig = {',
        "  mesh: 'shop',",
        '  port: 8080,',
        '  timeoutMs: 10000,',
        '  bodyLimitBytes: 1048576,',
        '  routes: [',
        "    { prefix: '/api/v1/accounts', service: 'users', rewrite: '/accounts' },",
        "    { prefix: '/api/v1/products', service: 'inventory', rewrite: '/products' },",
        "    { prefix: '/api/v1/users', service: 'users', rewrite: '/users' },",
        "    { prefix: '/api/v1/me', service: 'users', rewrite: '/' },",
        "    { prefix: '/api/v1', service: 'users', rewrite: '/api/v1' },",
        '  ],',
        '  services: { inventory: { httpPort: 3004 }, users: { httpPort: 3001 } },',
        '};',
        '',
      ].join('\n'),
    );
    expect(routes?.sources).toEqual(['inventory.yaml', 'mesh.yaml', 'users.yaml']);
  });

  it('emits main.ts that runs the gateway with the generated config', () => {
    const main = emitGateway(model(), options).find((f) => f.path === 'gateway/main.ts');
    expect(main?.content).toBe(
      [
        "import { runGateway } from 'meshspec/runtime/gateway';",
        "import { gatewayOpenApi } from './openapi.js';",
        "import { gatewayConfig } from './routes.js';",
        '',
        '// The public API as clients see it, served at /openapi.json.',
        'await runGateway({ ...gatewayConfig, openapi: gatewayOpenApi });',
        '',
      ].join('\n'),
    );
    expect(main?.sources).toEqual(['mesh.yaml']);
  });

  it('is deterministic: the order of services in the model does not change the output', () => {
    const a = emitGateway(model(), options);
    const b = emitGateway(model({ services: [...model().services].reverse() }), options);
    expect(b).toEqual(a);
    expect(a.map((f) => f.path)).toEqual(['gateway/routes.ts', 'gateway/main.ts', 'gateway/openapi.ts']);
  });

  it('escapes quotes and backslashes in string literals (with the one quoting the TypeScript printer uses)', () => {
    const odd = { ...gateway, routes: [{ prefix: "/it's", service: 'users', rewrite: '/a\\b' }] };
    const content = emitGateway(model({ name: "o'brien", gateway: odd }), options)[0]!.content;
    expect(content).toContain('mesh: "o\'brien",');
    expect(content).toContain(`routes: [{ prefix: "/it's", service: 'users', rewrite: '/a\\\\b' }],`);
  });

  it('fails loudly on a route to a service the model does not have', () => {
    const broken = { ...gateway, routes: [{ prefix: '/x', service: 'ghost', rewrite: '/x' }] };
    expect(() => emitGateway(model({ gateway: broken }), options)).toThrow(/ghost/);
  });
});
