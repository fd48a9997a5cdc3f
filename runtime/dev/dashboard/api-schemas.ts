// The data API's answers as JSON Schemas (draft-07), one definition per type of api-types.ts,
// served at GET /api/schemas: another tool checks what it reads against them, and the tests check
// every real answer. Objects are closed (additionalProperties false) so a field added to the types
// and not here fails the tests.
import { SAGA_STATES } from '../../saga/types.js';

/** The `$id` of the schema document; a definition is `<id>#/definitions/<Name>`. */
export const API_SCHEMA_ID = 'https://meshspec.dev/schemas/dashboard-api.json';

/** The names of the answers' schemas, one per route's answer. */
export type ApiSchemaName =
  | 'Overview'
  | 'Catalog'
  | 'Topology'
  | 'TraceList'
  | 'TraceDetail'
  | 'EventsView'
  | 'DeadLetterList'
  | 'ReplayRequest'
  | 'ReplayAnswer'
  | 'SagaList'
  | 'SagaDetail'
  | 'ExplorerRequest'
  | 'ExplorerAnswer'
  | 'ApiError'
  | 'StreamTraces'
  | 'StreamDeadLetters'
  | 'StreamSagas'
  | 'StreamCatalog';

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const string = { type: 'string' };
const integer = { type: 'integer' };
const number = { type: 'number' };
const boolean = { type: 'boolean' };
const time = { type: 'number', minimum: 0 };
const nonNegative = { type: 'number', minimum: 0 };
const fraction = { type: 'number', minimum: 0, maximum: 1 };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const array = (items: object) => ({ type: 'array', items });
const strings = array(string);
const enumOf = (...values: string[]) => ({ type: 'string', enum: values });
const stringMap = { type: 'object', additionalProperties: string };
/** A closed object: every property listed is required. */
const object = (properties: Record<string, object>, optional: readonly string[] = []) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
const nodeHealth = enumOf('ready', 'degraded', 'not ready', 'starting', 'down');
const sagaState = enumOf(...SAGA_STATES);
const httpMethod = enumOf('GET', 'POST', 'PUT', 'PATCH', 'DELETE');
const attributeValue = { anyOf: [string, number, boolean, array({ anyOf: [string, number, boolean] })] };

const sagaSummary = {
  owner: string,
  id: string,
  saga: string,
  state: sagaState,
  failure: nullable(object({ step: string, code: string, message: string })),
  createdAt: time,
  updatedAt: time,
  finishedAt: nullable(time),
};

/**
 * The schema document: `definitions` holds one schema per answer (ApiSchemaName) and the parts they share.
 *
 * @example
 * const ajv = new Ajv({ strict: false });
 * ajv.addSchema(apiSchemas);
 * ajv.validate(`${API_SCHEMA_ID}#/definitions/Catalog`, catalog);
 */
export const apiSchemas = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: API_SCHEMA_ID,
  title: 'meshspec dev dashboard: data API answers',
  definitions: {
    Overview: object({
      mesh: string,
      startedAt: time,
      dashboardUrl: string,
      gateway: nullable(object({ url: string, metricsUrl: nullable(string) })),
      services: array(object({ name: string, http: string, grpc: nullable(string) })),
      devToken: boolean,
    }),
    Catalog: object({
      mesh: string,
      services: array(ref('CatalogService')),
      events: array(ref('CatalogEvent')),
      gateway: nullable(ref('CatalogGateway')),
      sagas: array(ref('CatalogSaga')),
      schemas: { type: 'object', additionalProperties: { type: 'object' } },
    }),
    CatalogService: object({
      name: string,
      version: string,
      http: string,
      grpc: nullable(string),
      storage: boolean,
      endpoints: array(ref('CatalogEndpoint')),
      calls: array(object({ service: string, transport: enumOf('http', 'grpc'), inProcess: boolean, policy: string })),
      publishes: strings,
      subscribes: array(object({ event: string, handler: string, maxAttempts: nullable(integer) })),
    }),
    CatalogEndpoint: object({
      id: string,
      name: string,
      method: httpMethod,
      path: string,
      gatewayPath: nullable(string),
      public: nullable(boolean),
      pathParams: strings,
      inputSource: enumOf('body', 'query', 'none'),
      input: string,
      output: nullable(object({ type: string, list: boolean })),
      successStatus: integer,
      errors: array(object({ code: string, status: integer })),
      idempotent: boolean,
      startsSaga: nullable(string),
    }),
    CatalogEvent: object({
      name: string,
      version: integer,
      payload: string,
      publishers: strings,
      subscribers: array(object({ service: string, group: string, handler: string })),
    }),
    CatalogGateway: object({
      url: string,
      auth: nullable(enumOf('jwt', 'delegate')),
      routes: array(object({ prefix: string, service: string, rewrite: string, methods: strings, public: boolean })),
    }),
    CatalogSaga: object({ name: string, owner: string, kind: enumOf('orchestrated', 'choreographed'), steps: strings }),
    Topology: object({
      at: time,
      nodes: array(object({ id: string, kind: enumOf('gateway', 'service', 'event'), label: string, health: nullable(nodeHealth) })),
      edges: array(
        object({
          id: string,
          from: string,
          to: string,
          kind: enumOf('route', 'call', 'publish', 'subscribe'),
          transport: nullable(enumOf('http', 'grpc', 'in-process')),
          policy: nullable(string),
          rate: nonNegative,
          errorRate: fraction,
        }),
      ),
    }),
    TraceList: object({ traces: array(ref('TraceSummary')) }),
    TraceSummary: object({
      traceId: string,
      startedAt: time,
      durationMs: nonNegative,
      service: string,
      name: string,
      method: nullable(string),
      route: nullable(string),
      status: nullable(integer),
      error: boolean,
      spanCount: integer,
      services: strings,
    }),
    TraceDetail: object({
      traceId: string,
      startedAt: time,
      durationMs: nonNegative,
      spans: array(
        object({
          spanId: string,
          parentSpanId: nullable(string),
          service: string,
          name: string,
          kind: enumOf('server', 'client', 'producer', 'consumer', 'internal'),
          startTime: time,
          durationMs: nonNegative,
          status: enumOf('ok', 'error', 'unset'),
          statusMessage: nullable(string),
          attributes: { type: 'object', additionalProperties: attributeValue },
          events: array(object({ name: string, time: time, attributes: { type: 'object' } })),
        }),
      ),
      logs: array(
        object({
          time: time,
          level: enumOf('trace', 'debug', 'info', 'warn', 'error', 'fatal'),
          service: string,
          spanId: nullable(string),
          msg: string,
          fields: { type: 'object' },
        }),
      ),
    }),
    EventsView: object({
      at: time,
      events: array(
        object({
          name: string,
          version: integer,
          publishers: strings,
          publishRate: nonNegative,
          published: nonNegative,
          groups: array(
            object({
              service: string,
              group: string,
              handleRate: nonNegative,
              failureRate: nonNegative,
              lag: nonNegative,
              retrying: nonNegative,
              handled: nonNegative,
              deadLetters: nonNegative,
            }),
          ),
        }),
      ),
    }),
    DeadLetterList: object({
      deadLetters: array(
        object({
          id: string,
          service: string,
          event: string,
          envelopeId: nullable(string),
          source: nullable(string),
          error: string,
          attempts: integer,
          deadAt: nullable(string),
          envelope: nullable({ type: 'object' }),
        }),
      ),
    }),
    ReplayRequest: object({ service: string, ids: { anyOf: [strings, { const: 'all' }] } }),
    ReplayAnswer: object({ replayed: integer, notFound: strings, message: string }),
    SagaList: object({ sagas: array(object(sagaSummary)), unavailable: array(object({ owner: string, error: string })) }),
    SagaDetail: object({
      ...sagaSummary,
      input: {},
      output: {},
      steps: array(
        object({
          step: string,
          phase: enumOf('forward', 'compensate'),
          outcome: enumOf('started', 'succeeded', 'failed'),
          attempts: integer,
          startedAt: time,
          finishedAt: nullable(time),
          error: nullable(object({ code: string, message: string })),
        }),
      ),
    }),
    ExplorerRequest: object({ endpoint: string, params: stringMap, input: {}, headers: stringMap }, ['params', 'input', 'headers']),
    ExplorerAnswer: object({
      request: object({ method: string, url: string, via: enumOf('gateway', 'service'), headers: stringMap }),
      status: integer,
      headers: stringMap,
      body: {},
      durationMs: nonNegative,
      traceId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    }),
    ApiError: object({ error: object({ code: string, message: { type: 'string', maxLength: 300 } }) }),
    StreamTraces: object({ latest: string }),
    StreamDeadLetters: object({ total: integer }),
    StreamSagas: object({ at: time }),
    StreamCatalog: object({ at: time }),
  },
} as const;
