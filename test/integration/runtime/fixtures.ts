// Hand-written stand-ins for generated code: a `users` service and a `front` service that calls it.
import type { Logger } from 'pino';
import {
  Conflict,
  createLogger,
  createMemoryBus,
  MeshError,
  NotFound,
  type CallOptions,
  type EndpointDescriptor,
  type EventCatalog,
  type HostSettings,
  type SchemaRegistry,
  type ServiceDefinition,
  type ServiceHostOptions,
  type TransportFor,
} from '../../support/runtime.js';
import { testEndpoint, type EndpointSketch } from '../../support/endpoint.js';

const record = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

export const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/test',
  $defs: {
    User: record({ id: { type: 'integer' }, email: { type: 'string', format: 'email' }, name: { type: 'string' } }),
    CreateUser: record({ email: { type: 'string', format: 'email' }, name: { type: 'string', minLength: 1 } }),
    GetUserInput: record({ id: { type: 'integer', minimum: 1 } }),
    UpdateUserInput: record({ id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 1 } }),
    ListUsersQuery: record({ limit: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } } }, []),
    Empty: record({}),
    SlowInput: record({ ms: { type: 'integer', minimum: 0 } }, []),
    Echo: { type: 'object' },
    UserCreated: record({ userId: { type: 'integer' }, email: { type: 'string', format: 'email' } }),
  },
};

export const events: EventCatalog = { 'user.created': { payload: 'UserCreated', version: 1 } };

const endpoint = (e: EndpointSketch): EndpointDescriptor => testEndpoint(e, { output: { type: 'User', list: false }, grpcRequest: (e) => e.input, grpcResponse: 'user' });

export const ep = {
  createUser: endpoint({ name: 'createUser', method: 'POST', path: '/users', input: 'CreateUser', inputSource: 'body', successStatus: 201, errors: { EmailTaken: { status: 409, grpc: 'ALREADY_EXISTS' } } }),
  getMe: endpoint({ name: 'getMe', method: 'GET', path: '/users/me', input: 'Empty' }),
  getUser: endpoint({ name: 'getUser', method: 'GET', path: '/users/{id}', input: 'GetUserInput', errors: { NotFound: { status: 404, grpc: 'NOT_FOUND' } } }),
  updateUser: endpoint({ name: 'updateUser', method: 'PUT', path: '/users/{id}', input: 'UpdateUserInput', inputSource: 'body', errors: { NotFound: { status: 404, grpc: 'NOT_FOUND' } } }),
  deleteUser: endpoint({ name: 'deleteUser', method: 'DELETE', path: '/users/{id}', input: 'GetUserInput', successStatus: 204, output: null }),
  listUsers: endpoint({ name: 'listUsers', method: 'GET', path: '/users', input: 'ListUsersQuery', inputSource: 'query', output: { type: 'User', list: true } }),
  slow: endpoint({ name: 'slow', method: 'GET', path: '/slow', input: 'SlowInput', inputSource: 'query', output: { type: 'Echo', list: false } }),
  echo: endpoint({ name: 'echo', method: 'GET', path: '/echo', input: 'Empty', output: { type: 'Echo', list: false } }),
  boom: endpoint({ name: 'boom', method: 'GET', path: '/boom', input: 'Empty' }),
  undeclared: endpoint({ name: 'undeclared', method: 'GET', path: '/undeclared', input: 'Empty' }),
  stub: endpoint({ name: 'stub', method: 'GET', path: '/stub', input: 'Empty' }),
};

export const usersDefinition: ServiceDefinition = {
  mesh: 'test',
  name: 'users',
  version: '1.0.0',
  ports: { http: 3901, grpc: null },
  endpoints: Object.values(ep),
  subscriptions: [],
  publishes: ['user.created'],
  calls: [],
  proto: null,
};

export const SECRET = 'password=hunter2';

export class EmailTaken extends MeshError {
  constructor() {
    super('EmailTaken', 'email already taken', 409);
  }
}

type Ctx = { requestId: string; caller: unknown; deadline: number | null; signal: AbortSignal; publish: (e: string, p: unknown) => Promise<void> };

export const users = new Map<number, { id: number; email: string; name: string }>([[1, { id: 1, email: 'ada@example.com', name: 'Ada' }]]);

export const usersHandlers = {
  async createUser(input: { email: string; name: string }, ctx: Ctx) {
    if ([...users.values()].some((u) => u.email === input.email)) throw new EmailTaken();
    const user = { id: users.size + 1, ...input };
    users.set(user.id, user);
    await ctx.publish('user.created', { userId: user.id, email: user.email });
    return user;
  },
  async getMe() {
    return users.get(1);
  },
  async getUser(input: { id: number }) {
    const user = users.get(input.id);
    if (!user) throw new NotFound(`user ${input.id} not found`);
    return user;
  },
  async updateUser(input: { id: number; name: string }) {
    const user = users.get(input.id);
    if (!user) throw new NotFound(`user ${input.id} not found`);
    return { ...user, name: input.name };
  },
  async deleteUser() {
    return undefined;
  },
  async listUsers(input: { limit?: number; tags?: string[] }) {
    return [...users.values()].slice(0, input.limit ?? 100).map((u) => ({ ...u, name: `${u.name}${input.tags ? `:${input.tags.join('+')}` : ''}` }));
  },
  async slow(input: { ms?: number }, ctx: Ctx) {
    // Ends early once the call is given up on (deadline, caller gone), so no timer outlives its test.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, input.ms ?? 300);
      ctx.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    return { done: true, aborted: ctx.signal.aborted };
  },
  async echo(_input: unknown, ctx: Ctx) {
    return { requestId: ctx.requestId, caller: ctx.caller, deadline: ctx.deadline };
  },
  async boom() {
    throw new Error(`database exploded: ${SECRET}`);
  },
  async undeclared() {
    throw new Conflict(`undeclared conflict: ${SECRET}`);
  },
};

/** `front` calls users over HTTP: the second hop for request-id propagation tests. */
const via = {
  getUser: endpoint({ name: 'getUserVia', method: 'GET', path: '/via/{id}', input: 'GetUserInput', errors: { NotFound: { status: 404, grpc: 'NOT_FOUND' } } }),
  echo: endpoint({ name: 'echoVia', method: 'GET', path: '/via-echo', input: 'Empty', output: { type: 'Echo', list: false } }),
};

export const frontDefinition: ServiceDefinition = {
  ...usersDefinition,
  name: 'front',
  ports: { http: 3902, grpc: null },
  endpoints: Object.values(via),
  publishes: [],
  calls: [{ service: 'users', transport: 'http' }],
};

type FrontClients = { users: { call(e: EndpointDescriptor, input: unknown): Promise<unknown> } };

export const frontHandlers = {
  async getUserVia(input: { id: number }, ctx: { clients: FrontClients }) {
    return ctx.clients.users.call(ep.getUser, input);
  },
  async echoVia(_input: unknown, ctx: { clients: FrontClients }) {
    return ctx.clients.users.call(ep.echo, {});
  },
};

// What a generated client factory does: bind a transport to the call's options.
const createFrontClients = (transportFor: TransportFor, call: CallOptions): FrontClients => ({
  users: { call: (e, input) => transportFor('users', 'http').call(e, input, call) },
});

export function usersHost(overrides: Partial<ServiceHostOptions> = {}): ServiceHostOptions {
  return {
    definition: usersDefinition,
    handlers: usersHandlers,
    schemas,
    events,
    callees: {},
    createClients: () => ({}),
    ...overrides,
  };
}

export function frontHost(): ServiceHostOptions {
  return {
    definition: frontDefinition,
    handlers: frontHandlers,
    schemas,
    events,
    callees: { users: usersDefinition },
    createClients: createFrontClients,
  };
}

/** A logger whose lines land in `lines` (parsed), for asserting on logs. */
export function captureLogger(service: string): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service,
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

export function testSettings(logger: Logger, overrides: Partial<HostSettings> = {}): HostSettings {
  return {
    bodyLimitBytes: 1024,
    shutdownGraceMs: 2000,
    httpPort: 0,
    host: '127.0.0.1',
    bus: createMemoryBus({ logger, retryDelayMs: 1 }),
    logger,
    ...overrides,
  };
}

/** A response's JSON body, loosely typed for assertions. */
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}
