// A small hand-built model for the TypeScript emitter tests: two services, one calling the other,
// events both ways, records with optional/array/map fields, enums, built-in and declared errors.
import { DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import { buildCall } from '../../../generator/model/policies.js';
import type {
  DeployModel,
  EndpointModel,
  ErrorModel,
  FieldModel,
  MeshModel,
  RecordTypeModel,
  ServiceModel,
  TypeRef,
} from '../../../generator/model/types.js';
import { emitTypeScript } from '../../../generator/emit/typescript/index.js';
import { defaultLayout, type ProjectLayout } from '../../../generator/naming/index.js';

const source = { file: 'mesh.yaml', line: 1, col: 1 };
const str: TypeRef = { kind: 'primitive', name: 'string' };
const int: TypeRef = { kind: 'primitive', name: 'integer' };

const deploy: DeployModel = {
  image: 'x',
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
  shutdownDelayMs: 5000,
  env: [],
  secrets: [],
};

function field(name: string, number: number, type: TypeRef, extra: Partial<FieldModel> = {}): FieldModel {
  return { name, number, type, optional: false, constraints: {}, ...extra };
}

function record(name: string, owner: string | null, fields: FieldModel[], description?: string): RecordTypeModel {
  const base = { kind: 'record' as const, name, owner, fields, reserved: [], source };
  return description === undefined ? base : { ...base, description };
}

const NotFound: ErrorModel = { name: 'NotFound', status: 404, grpc: 'NOT_FOUND', builtin: true };
const Conflict: ErrorModel = { name: 'Conflict', status: 409, grpc: 'ABORTED', builtin: true };
const UserNotFound: ErrorModel = {
  name: 'UserNotFound',
  status: 422,
  grpc: 'FAILED_PRECONDITION',
  builtin: false,
  description: "The order's user does not exist.",
};
const EmailTaken: ErrorModel = { name: 'EmailTaken', status: 409, grpc: 'ALREADY_EXISTS', builtin: false };

function endpoint(
  name: string,
  method: EndpointModel['http']['method'],
  path: string,
  input: string,
  output: EndpointModel['output'],
  errors: ErrorModel[] = [],
  extra: Partial<EndpointModel> = {},
): EndpointModel {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  return {
    name,
    http: {
      method,
      path,
      pathParams,
      successStatus: output === null ? 204 : method === 'POST' ? 201 : 200,
      inputSource: method === 'GET' || method === 'DELETE' ? (pathParams.length > 0 ? 'none' : 'query') : 'body',
    },
    grpcMethod: name.charAt(0).toUpperCase() + name.slice(1),
    input,
    inputSynthesized: input.endsWith('Input'),
    output,
    errors,
    emits: [],
    idempotent: method !== 'POST' && method !== 'PATCH',
    source,
    ...extra,
  };
}

function service(name: string, grpc: number | null, extra: Partial<ServiceModel>): ServiceModel {
  return {
    name,
    ports: { http: 3000, grpc },
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
    file: `services/${name}.yaml`,
    source,
    ...extra,
  };
}

const users = service('users', 50051, {
  description: 'Accounts.',
  errors: [EmailTaken, NotFound],
  endpoints: [
    endpoint('createUser', 'POST', '/users', 'CreateUser', { type: 'User', list: false }, [EmailTaken], {
      emits: ['user.created'],
      description: 'Signs a user up.',
    }),
    endpoint('deleteUser', 'DELETE', '/users/{id}', 'DeleteUserInput', null, [NotFound]),
    endpoint('getUser', 'GET', '/users/{id}', 'GetUserInput', { type: 'User', list: false }, [NotFound]),
    endpoint('listUsers', 'GET', '/users', 'ListUsersInput', { type: 'User', list: true }),
  ],
  publishes: ['user.created'],
});

const orders = service('orders', null, {
  errors: [Conflict, NotFound, UserNotFound],
  endpoints: [
    endpoint('cancelOrder', 'POST', '/orders/{id}/cancel', 'CancelOrderInput', { type: 'Order', list: false }, [
      Conflict,
      NotFound,
    ]),
    endpoint('createOrder', 'POST', '/orders', 'CreateOrder', { type: 'Order', list: false }, [UserNotFound]),
  ],
  calls: [buildCall('users', { transport: 'grpc' }, [])],
  subscribes: [{ event: 'user.created', handler: 'welcomeUser' }],
});

export function fixtureModel(): MeshModel {
  return {
    name: 'shop',
    version: '1.2.3',
    generatorVersion: '0.1.0',
    files: ['mesh.yaml', 'services/orders.yaml', 'services/users.yaml'],
    meshFile: 'mesh.yaml',
    policies: [],
    runtime: { bodyLimitBytes: 1048576, shutdownGraceMs: 10000, bus: { ...DEFAULT_BUS } },
    deploy: { namespace: 'shop', registry: 'registry.example.com' },
    types: [
      record('CancelOrderInput', 'orders', [field('id', 1, str)]),
      record('CreateOrder', 'orders', [field('userId', 1, str), field('quantity', 2, int)]),
      record('CreateUser', 'users', [field('email', 1, str, { constraints: { format: 'email' } })]),
      record('DeleteUserInput', 'users', [field('id', 1, str)]),
      record('GetUserInput', 'users', [field('id', 1, str)]),
      record('ListUsersInput', 'users', []),
      record(
        'Order',
        'orders',
        [
          field('id', 1, str),
          field('lines', 2, { kind: 'array', items: { kind: 'ref', name: 'OrderLine' } }),
          field('status', 3, { kind: 'ref', name: 'OrderStatus' }),
          field('tags', 4, { kind: 'map', values: str }, { optional: true, description: 'Free-form labels.' }),
        ],
        'An order.',
      ),
      record('OrderLine', 'orders', [field('sku', 1, str), field('quantity', 2, int)]),
      {
        kind: 'enum',
        name: 'OrderStatus',
        owner: null,
        values: ['pending', 'confirmed', 'cancelled'],
        inline: false,
        source,
      },
      record('User', 'users', [
        field('id', 1, str, { constraints: { format: 'uuid' } }),
        field('email', 2, str),
        field('nickname', 3, str, { optional: true }),
      ]),
      record('UserCreated', null, [field('userId', 1, str)]),
    ],
    events: [
      {
        name: 'user.created',
        description: 'A user signed up.',
        payload: 'UserCreated',
        version: 1,
        accepts: [],
        publishers: ['users'],
        subscribers: [{ service: 'orders', handler: 'welcomeUser' }],
        source,
      },
    ],
    services: [orders, users],
    gateway: null,
  };
}

/** The content of one file the TypeScript emitter produces for the fixture (default layout: generated/, hooks/). */
export function emitted(path: string, model: MeshModel = fixtureModel(), layout: ProjectLayout = defaultLayout): string {
  const file = emitTypeScript(model, { layout }).find((f) => f.path === path);
  if (!file) throw new Error(`no emitted file ${path}`);
  return file.content;
}
