// Hand-built MeshModel literals for the hook planner tests: a mesh with `users` (endpoints only)
// and `orders` (endpoints, subscriptions and calls with fallbacks), plus helpers to vary them.
import { DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import type {
  CallModel,
  EndpointModel,
  ErrorModel,
  FallbackModel,
  MeshModel,
  ServiceModel,
  SubscriptionModel,
} from '../../../generator/model/types.js';
import type { HookOptions } from '../../../generator/hooks/index.js';

const source = { file: 'services/users.yaml', line: 1, col: 1 };
const notFound: ErrorModel = { name: 'NotFound', status: 404, grpc: 'NOT_FOUND', builtin: true };
const emailTaken: ErrorModel = { name: 'EmailTaken', status: 409, grpc: 'ALREADY_EXISTS', builtin: false };

export function endpoint(
  name: string,
  method: EndpointModel['http']['method'],
  path: string,
  extra: Partial<EndpointModel> = {},
): EndpointModel {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  return {
    name,
    http: { method, path, pathParams, successStatus: 200, inputSource: method === 'GET' ? 'query' : 'body' },
    grpcMethod: name.charAt(0).toUpperCase() + name.slice(1),
    input: `${name.charAt(0).toUpperCase() + name.slice(1)}Input`,
    inputSynthesized: true,
    output: null,
    errors: [],
    emits: [],
    idempotent: method !== 'POST' && method !== 'PATCH',
    source,
    ...extra,
  };
}

export const createUser = endpoint('createUser', 'POST', '/users', {
  input: 'CreateUser',
  inputSynthesized: false,
  output: { type: 'User', list: false },
  errors: [emailTaken],
});
export const getUser = endpoint('getUser', 'GET', '/users/{id}', { output: { type: 'User', list: false }, errors: [notFound] });
export const listUsers = endpoint('listUsers', 'GET', '/users', { output: { type: 'User', list: true } });
export const archiveUser = endpoint('archiveUser', 'POST', '/users/{id}/archive', { errors: [notFound] });

export function service(name: string, endpoints: EndpointModel[], subscribes: SubscriptionModel[] = []): ServiceModel {
  return {
    name,
    ports: { http: 3001, grpc: null },
    binding: 'node',
    extraRoutes: false,
    healthChecks: [],
    types: [],
    errors: [],
    endpoints,
    calls: [],
    publishes: [],
    subscribes,
    storage: null,
    deploy: {
      image: name,
      replicas: 1,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      shutdownDelayMs: 5000,
      env: [],
      secrets: [],
    },
    file: `services/${name}.yaml`,
    source: { ...source, file: `services/${name}.yaml` },
  };
}

/** A call to `callee` that names these fallbacks (sorted by endpoint, as the model builder sorts them). */
export function call(callee: string, fallbacks: FallbackModel[]): CallModel {
  return {
    service: callee,
    transport: 'http',
    policyName: null,
    policy: { timeoutMs: 1000 },
    endpointPolicies: [],
    balance: 'round-robin',
    dns: null,
    fallbacks: [...fallbacks].sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1)),
  };
}

/** `service` with these calls. */
export function calling(service: ServiceModel, ...calls: CallModel[]): ServiceModel {
  return { ...service, calls };
}

export const guestUser: FallbackModel = { endpoint: 'getUser', handler: 'guestUser' };
export const noUsers: FallbackModel = { endpoint: 'listUsers', handler: 'noUsers' };

export function mesh(...services: ServiceModel[]): MeshModel {
  return {
    name: 'shop',
    version: '1.0.0',
    generatorVersion: '0.1.0',
    files: ['mesh.yaml', ...services.map((s) => s.file)],
    meshFile: 'mesh.yaml',
    policies: [],
    runtime: { bodyLimitBytes: 1_048_576, shutdownGraceMs: 10_000, bus: { ...DEFAULT_BUS } },
    deploy: { namespace: 'shop', registry: 'registry.example.com/shop' },
    types: [],
    events: [
      { name: 'user.deleted', payload: 'UserDeleted', version: 1, accepts: [], publishers: ['users'], subscribers: [], source },
      { name: 'payment.failed', payload: 'PaymentEvent', version: 1, accepts: [], publishers: ['payments'], subscribers: [], source },
    ],
    services,
    gateway: null,
  };
}

export const userDeleted: SubscriptionModel = { event: 'user.deleted', handler: 'cancelOrdersForUser' };
export const paymentFailed: SubscriptionModel = { event: 'payment.failed', handler: 'failOrder' };

/** Options over an in-memory project: `files` maps project-relative paths to contents. */
export function memoryOptions(files: Record<string, string>): HookOptions {
  return {
    hooksDir: 'hooks',
    generatedImport: '../generated',
    readExisting: (path) => files[path],
    listExisting: () => Object.keys(files),
  };
}
