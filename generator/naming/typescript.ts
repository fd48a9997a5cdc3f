// Every identifier and module path the TypeScript emitters derive. The semantic checks read the same
// functions to reject a spec name that would collide with one (generator/language/semantic/generated-names.ts).
import { pascalCase } from './case.js';

/** Names of everything a service's generated files declare, so every emitter (and the checks) agree on them. */
export function serviceNames(service: string) {
  const Svc = pascalCase(service);
  return {
    definition: `${service}Definition`,
    host: `${service}Host`,
    client: `${Svc}Client`,
    createClient: `create${Svc}Client`,
    clients: `${Svc}Clients`,
    publishes: `${Svc}Publishes`,
    context: `${Svc}Context`,
    eventContext: `${Svc}EventContext`,
    handlers: `${Svc}Handlers`,
    subscriptions: `${Svc}Subscriptions`,
    compensations: `${Svc}Compensations`,
    fallbacks: `${Svc}Fallbacks`,
    healthChecks: `${Svc}HealthChecks`,
    upgrades: `${Svc}Upgrades`,
    routes: `${Svc}Routes`,
    sagaClients: `${Svc}SagaClients`,
    sagas: `${service}Sagas`,
  } as const;
}

/**
 * The types the model synthesizes for a saga, in its service's scope: its status (what an endpoint
 * that starts it or answers its status returns) and the payloads of its two events. `SagaState` and
 * `SagaFailure` are synthesized once per service that has sagas.
 *
 * @example
 * sagaTypeNames('placeOrder'); // { status: 'PlaceOrderStatus', completed: 'PlaceOrderCompleted', failed: 'PlaceOrderFailed' }
 */
export function sagaTypeNames(saga: string) {
  const Saga = pascalCase(saga);
  return { status: `${Saga}Status`, completed: `${Saga}Completed`, failed: `${Saga}Failed` } as const;
}

/** The types shared by a service's sagas (see sagaTypeNames). */
export const SAGA_SHARED_TYPES = { state: 'SagaState', failure: 'SagaFailure' } as const;

/** `placeOrder.completed` and `placeOrder.failed`: the events a saga's service publishes when it ends. */
export function sagaEventNames(saga: string) {
  return { completed: `${saga}.completed`, failed: `${saga}.failed` } as const;
}

/**
 * The hook that upgrades an accepted older version of an event to its current payload, a member of
 * the subscriber's `upgrades`: the event's words in camelCase, then the version it upgrades from.
 * Event words are lowercase, so the camelCase of two different events never collides.
 *
 * @example
 * upgradeHookName('order.created', 1); // 'orderCreatedFromV1'
 */
export function upgradeHookName(event: string, version: number): string {
  const [first = '', ...rest] = event.split('.');
  return `${first}${rest.map(pascalCase).join('')}FromV${version}`;
}

/** `ShopEvents`: the event name -> payload interface of the mesh. */
export function meshEventsName(mesh: string): string {
  return `${pascalCase(mesh)}Events`;
}

/** `OrderStatusValues`: the constant listing an enum's values. */
export function enumValuesName(enumName: string): string {
  return `${enumName}Values`;
}

/** Module-level constants the emitters declare besides the derived names above. */
export const GENERATED_CONSTANTS = ['schemas', 'events', 'endpoints', 'stack', 'gatewayConfig', 'handlers', 'subscriptions', 'compensations', 'fallbacks', 'healthChecks', 'upgrades', 'routes'] as const;

/**
 * Every name generated code imports from the runtime, with the package subpath it comes from: the core
 * (`meshspec/runtime`) for what every file needs, a feature's subpath for what only an entry point
 * loads, so that a module importing an error class does not load the servers. The printer refuses any
 * other import from the runtime (generator/emit/typescript/code.ts), so this table cannot fall behind
 * the emitters.
 */
export const RUNTIME_MODULES = {
  CallFailure: 'meshspec/runtime',
  CallOptions: 'meshspec/runtime',
  ClientTransport: 'meshspec/runtime',
  DevStack: 'meshspec/runtime/dev',
  EventCatalog: 'meshspec/runtime',
  GatewayConfig: 'meshspec/runtime/gateway',
  HandlerContext: 'meshspec/runtime',
  HealthCheckContext: 'meshspec/runtime',
  EventContext: 'meshspec/runtime',
  ExtraRoutes: 'meshspec/runtime',
  MeshError: 'meshspec/runtime',
  SagaDefinition: 'meshspec/runtime/saga',
  SchemaRegistry: 'meshspec/runtime',
  ServiceDefinition: 'meshspec/runtime',
  ServiceHostOptions: 'meshspec/runtime/host',
  StepCall: 'meshspec/runtime/saga',
  StorageContext: 'meshspec/runtime',
  runGateway: 'meshspec/runtime/gateway',
  runServices: 'meshspec/runtime/host',
} as const;

export type RuntimeImport = keyof typeof RUNTIME_MODULES;

/** The names of RUNTIME_MODULES: spec types must not take them. */
export const RUNTIME_IMPORTS = Object.keys(RUNTIME_MODULES) as readonly RuntimeImport[];

/** The core module, where the built-in error classes come from. */
export const RUNTIME_CORE_MODULE = 'meshspec/runtime';

/** Built-in errors a service's errors module re-exports, besides those in `common/errors.ts`. */
export const RUNTIME_ERROR_CLASSES = ['NotImplemented', 'ValidationFailed', 'InternalError', 'Timeout'] as const;

/**
 * Global names generated code (and the hooks written against it) uses: a spec type of the same name
 * would shadow the global in its module.
 */
export const TYPESCRIPT_GLOBALS = [
  'Array', 'Awaited', 'Boolean', 'Buffer', 'Date', 'Error', 'Exclude', 'Extract', 'Function', 'JSON', 'Map', 'Math',
  'NonNullable', 'Number', 'Object', 'Omit', 'Parameters', 'Partial', 'Pick', 'Promise', 'Readonly', 'Record', 'RegExp',
  'Required', 'ReturnType', 'Set', 'String', 'Symbol', 'URL',
] as const;

/** Import specifier of a sibling service folder's file, from inside a service folder. */
export function siblingModule(service: string, file: string): string {
  return `../${service}/${file}.js`;
}
