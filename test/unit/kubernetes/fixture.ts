// A hand-built model for the Kubernetes emitter's unit tests: services with and without gRPC,
// replicated and not, calling each other over both transports, with env and secrets, and a gateway.
import { DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import { buildCall } from '../../../generator/model/policies.js';
import type { DeployModel, GatewayModel, MeshModel, ServiceModel } from '../../../generator/model/types.js';

const source = { file: 'spec/mesh.yaml', line: 1, col: 1 };

function deploy(name: string, overrides: Partial<DeployModel> = {}): DeployModel {
  return {
    image: `registry.example.com/shop/${name}:1.2.3`,
    replicas: 1,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    shutdownDelayMs: 5000,
    env: [],
    secrets: [],
    ...overrides,
  };
}

function service(name: string, http: number, grpc: number | null, extra: Partial<ServiceModel> = {}): ServiceModel {
  return {
    name,
    ports: { http, grpc },
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
    deploy: deploy(name),
    file: `spec/services/${name}.yaml`,
    source,
    ...extra,
  };
}

export const users = service('users', 3001, 50051, {
  deploy: deploy('users', {
    replicas: 2,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    env: [
      { name: 'FEATURE_X', value: 'on' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ],
    secrets: [{ env: 'DATABASE_URL', secret: 'users-db', key: 'url' }],
  }),
});

export const orders = service('orders', 3002, null, {
  calls: [
    buildCall('inventory', { transport: 'grpc' }, []),
    buildCall('users', { transport: 'http' }, []),
  ],
});

export const inventory = service('inventory', 3004, 50054, { deploy: deploy('inventory', { replicas: 3 }) });

export const gateway: GatewayModel = {
  port: 8080,
  routes: [
    { prefix: '/api/v1/users/admin', service: 'users', rewrite: '/admin' },
    { prefix: '/api/v1/orders', service: 'orders', rewrite: '/orders' },
    { prefix: '/api/v1/users', service: 'users', rewrite: '/users' },
  ],
  timeoutMs: 10_000,
  bodyLimitBytes: 1_048_576,
  deploy: deploy('gateway', { shutdownDelayMs: 8_000, env: [{ name: 'CORS_ORIGIN', value: 'https://shop.example.com' }] }),
  source,
};

export function meshModel(overrides: Partial<MeshModel> = {}): MeshModel {
  return {
    name: 'shop',
    version: '1.2.3',
    generatorVersion: '0.1.0',
    files: ['spec/mesh.yaml', 'spec/services/inventory.yaml', 'spec/services/orders.yaml', 'spec/services/users.yaml'],
    meshFile: 'spec/mesh.yaml',
    policies: [],
    runtime: { bodyLimitBytes: 1_048_576, shutdownGraceMs: 10_500, bus: { ...DEFAULT_BUS } },
    deploy: { namespace: 'shop-prod', registry: 'registry.example.com/shop' },
    types: [],
    events: [],
    services: [inventory, orders, users],
    gateway,
    ...overrides,
  };
}
