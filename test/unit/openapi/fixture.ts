// A small hand-built model for the OpenAPI emitter's unit tests: one `users` service whose
// endpoints cover path, query and body input, a body next to a path param, lists, 204, enums,
// arrays, maps, mesh-level types and shared error statuses.
import { DEFAULT_BUS } from '../../../runtime/bus/settings.js';
import type {
  EndpointModel,
  ErrorModel,
  FieldConstraints,
  FieldModel,
  MeshModel,
  RecordTypeModel,
  ServiceModel,
  TypeModel,
  TypeRef,
} from '../../../generator/model/types.js';

const source = { file: 'spec/services/users.yaml', line: 1, col: 1 };
export const str: TypeRef = { kind: 'primitive', name: 'string' };
export const int: TypeRef = { kind: 'primitive', name: 'integer' };
export const ref = (name: string): TypeRef => ({ kind: 'ref', name });

export function field(
  name: string,
  number: number,
  type: TypeRef,
  opts: { optional?: boolean; description?: string; constraints?: FieldConstraints; example?: unknown } = {},
): FieldModel {
  return {
    name,
    number,
    type,
    optional: opts.optional ?? false,
    constraints: opts.constraints ?? {},
    ...(opts.description ? { description: opts.description } : {}),
    ...(opts.example === undefined ? {} : { example: opts.example }),
  };
}

export function record(name: string, fields: FieldModel[], owner: string | null = 'users'): RecordTypeModel {
  return { kind: 'record', name, owner, fields, reserved: [], source };
}

const errors: Record<string, ErrorModel> = {
  NotFound: { name: 'NotFound', status: 404, grpc: 'NOT_FOUND', builtin: true },
  Conflict: { name: 'Conflict', status: 409, grpc: 'ABORTED', builtin: true },
  EmailTaken: { name: 'EmailTaken', status: 409, grpc: 'ALREADY_EXISTS', description: 'The email is in use.', builtin: false },
};

export function endpoint(
  name: string,
  http: string,
  input: string,
  opts: Partial<Omit<EndpointModel, 'http'>> & { status?: number; inputSource?: EndpointModel['http']['inputSource'] },
): EndpointModel {
  const [method, path] = http.split(' ') as [EndpointModel['http']['method'], string];
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const output = opts.output === undefined ? null : opts.output;
  return {
    name,
    http: {
      method,
      path,
      pathParams,
      successStatus: opts.status ?? (output === null ? 204 : method === 'POST' ? 201 : 200),
      inputSource: opts.inputSource ?? 'none',
    },
    grpcMethod: name.charAt(0).toUpperCase() + name.slice(1),
    input,
    inputSynthesized: opts.inputSynthesized ?? false,
    output,
    errors: opts.errors ?? [],
    emits: opts.emits ?? [],
    idempotent: opts.idempotent ?? (method !== 'POST' && method !== 'PATCH'),
    ...(opts.description ? { description: opts.description } : {}),
    source,
  };
}

export const userId = '0b4c6a55-5b3e-4f57-9a0b-3f0f7d7c2d11';

export const types: TypeModel[] = [
  record('Address', [field('city', 1, str, { example: 'Oslo' }), field('zip', 2, str, { optional: true })], null),
  record('CreateUser', [
    field('email', 1, str, { constraints: { format: 'email' }, example: 'ada@example.com' }),
    field('name', 2, str, { constraints: { minLength: 1, maxLength: 100 }, example: 'Ada' }),
  ]),
  record('DeleteUserInput', [field('id', 1, str)]),
  record('GetUserInput', [field('id', 1, str, { description: 'The user id.', constraints: { format: 'uuid' }, example: userId })]),
  record('ListUsersQuery', [
    field('role', 1, ref('UserRole'), { optional: true }),
    field('limit', 2, int, { optional: true, constraints: { minimum: 1, maximum: 100 } }),
    field('tags', 3, { kind: 'array', items: str }, { constraints: { minItems: 1, maxItems: 5, maxLength: 20 } }),
  ]),
  record('PingInput', []),
  record('UpdateUser', [
    field('id', 1, str, { constraints: { format: 'uuid' } }),
    field('name', 2, str, { optional: true }),
    field('role', 3, ref('UserRole'), { example: 'member' }),
  ]),
  record('Unused', [field('x', 1, str)]),
  record('User', [
    field('id', 1, str, { constraints: { format: 'uuid' }, example: userId }),
    field('role', 2, ref('UserRole'), { description: 'What the user may do.', example: 'admin' }),
    field('address', 3, ref('Address'), { optional: true }),
    field('labels', 4, { kind: 'map', values: str }, { example: { team: 'core' } }),
  ]),
  { kind: 'enum', name: 'UserRole', owner: 'users', values: ['admin', 'member'], inline: false, source },
];

export const endpoints: EndpointModel[] = [
  endpoint('createUser', 'POST /users', 'CreateUser', {
    inputSource: 'body',
    output: { type: 'User', list: false },
    errors: [errors.Conflict!, errors.EmailTaken!],
    emits: ['user.created'],
    description: 'Signs a user up.',
  }),
  endpoint('deleteUser', 'DELETE /users/{id}', 'DeleteUserInput', { inputSynthesized: true, errors: [errors.NotFound!] }),
  endpoint('getUser', 'GET /users/{id}', 'GetUserInput', {
    inputSynthesized: true,
    output: { type: 'User', list: false },
    errors: [errors.NotFound!],
  }),
  endpoint('listUsers', 'GET /users', 'ListUsersQuery', { inputSource: 'query', output: { type: 'User', list: true } }),
  endpoint('ping', 'GET /ping', 'PingInput', { inputSynthesized: true }),
  endpoint('updateUser', 'PATCH /users/{id}', 'UpdateUser', {
    inputSource: 'body',
    output: { type: 'User', list: false },
    errors: [errors.NotFound!],
  }),
];

const deploy = {
  image: 'registry.example.com/shop/users:1.2.3',
  replicas: 1,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  shutdownDelayMs: 5000,
  env: [],
  secrets: [],
};

export const users: ServiceModel = {
  name: 'users',
  description: 'Accounts.',
  ports: { http: 3001, grpc: 50051 },
  binding: 'node',
  extraRoutes: false,
  healthChecks: [],
  types: types.filter((t) => t.owner === 'users').map((t) => t.name),
  errors: [errors.Conflict!, errors.EmailTaken!, errors.NotFound!],
  endpoints,
  calls: [],
  publishes: ['user.created'],
  subscribes: [],
  storage: null,
  deploy,
  file: 'spec/services/users.yaml',
  source,
};

export function meshModel(overrides: Partial<MeshModel> = {}): MeshModel {
  return {
    name: 'shop',
    version: '1.2.3',
    generatorVersion: '0.1.0',
    files: ['spec/mesh.yaml', 'spec/services/users.yaml'],
    meshFile: 'spec/mesh.yaml',
    policies: [],
    runtime: { bodyLimitBytes: 1_048_576, shutdownGraceMs: 10_000, bus: { ...DEFAULT_BUS } },
    deploy: { namespace: 'shop', registry: 'registry.example.com/shop' },
    types,
    events: [],
    services: [users],
    gateway: null,
    ...overrides,
  };
}
