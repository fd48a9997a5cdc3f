// A real grpc-js server of one service of a model, with protos emitted into a temp folder and an
// `invoke` fixture that records every call and answers with whatever the test sets.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { typeToJsonSchema } from '../../../generator/model/json-schema.js';
import { keyOf, resolveType } from '../../../generator/model/lookup.js';
import { protoServiceName, rpcFields, serviceProtoFile, servicePackage, typesPackage } from '../../../generator/naming/index.js';
import type { MeshModel } from '../../../generator/model/types.js';
import { createGrpcServer, createGrpcTransport, type GrpcServer } from '../../../runtime/grpc/index.js';
import type { EndpointDescriptor, ServiceDefinition } from '../../../runtime/service/definition.js';
import type { InvocationMeta } from '../../../runtime/service/invoke.js';
import type { ClientTransport } from '../../../runtime/transport/types.js';
import type { SchemaRegistry } from '../../../runtime/validation/types.js';
import { writeProtos } from '../proto/write-protos.js';

export interface Invocation {
  endpoint: string;
  input: unknown;
  /** The gRPC server always hands invoke a real signal (the call's). */
  meta: InvocationMeta & { signal: AbortSignal };
}

export type Respond = (endpoint: EndpointDescriptor, input: unknown, meta: InvocationMeta) => Promise<unknown>;

export interface Harness {
  definition: ServiceDefinition;
  schemas: SchemaRegistry;
  server: GrpcServer;
  port: number;
  address: string;
  transport: ClientTransport;
  invocations: Invocation[];
  /** What the fixture invoke does; by default it echoes the input. */
  respond: Respond;
  /** Lines the server logged (JSON). */
  logs: string[];
  endpoint(name: string): EndpointDescriptor;
  close(): Promise<void>;
}

/** The mesh schemas as generated/schemas.ts holds them. */
export function schemasOf(model: MeshModel): SchemaRegistry {
  const refOf = (scope: string | null) => (name: string) => `#/$defs/${keyOf(resolveType(model, scope, name))}`;
  return { $id: `meshspec:${model.name}`, $defs: Object.fromEntries(model.types.map((t) => [keyOf(t), typeToJsonSchema(t, refOf(t.owner))])) };
}

/** The service's definition as generated/<service>/definition.ts holds it, with the proto under `protoRoot`. */
export function definitionOf(model: MeshModel, serviceName: string, protoRoot: string): ServiceDefinition {
  const service = model.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`no service ${serviceName}`);
  return {
    mesh: model.name,
    name: service.name,
    version: model.version,
    ports: service.ports,
    endpoints: service.endpoints.map((e) => ({
      name: e.name,
      method: e.http.method,
      path: e.http.path,
      pathParams: e.http.pathParams,
      inputSource: e.http.inputSource,
      successStatus: e.http.successStatus,
      input: keyOf(resolveType(model, service.name, e.input)),
      output: e.output && { type: keyOf(resolveType(model, service.name, e.output.type)), list: e.output.list },
      errors: Object.fromEntries(e.errors.map((x) => [x.name, { status: x.status, grpc: x.grpc }])),
      grpc: { method: e.grpcMethod, request: rpcFields(e).request?.json ?? null, response: rpcFields(e).response?.json ?? null },
    })),
    subscriptions: [],
    publishes: [],
    calls: [],
    proto: service.ports.grpc === null ? null : {
      root: protoRoot,
      file: serviceProtoFile(model.name, service.name),
      service: `${servicePackage(model.name, service.name)}.${protoServiceName(service.name)}`,
      packages: { [servicePackage(model.name, service.name)]: service.name, [typesPackage(model.name)]: null },
    },
  };
}

export function captureLogger(lines: string[]): Logger {
  return pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
}

export async function startHarness(model: MeshModel, serviceName: string): Promise<Harness> {
  const out = await writeProtos(model);
  const definition = definitionOf(model, serviceName, join(out, 'proto'));
  const schemas = schemasOf(model);
  const logs: string[] = [];
  const harness = {
    definition,
    schemas,
    invocations: [] as Invocation[],
    logs,
    respond: (async (_e, input) => input) as Respond,
  } as Harness;
  const server = createGrpcServer({
    definition,
    schemas,
    logger: captureLogger(logs),
    invoke: (endpoint, input, meta) => {
      harness.invocations.push({ endpoint: endpoint.name, input, meta: meta as InvocationMeta & { signal: AbortSignal } });
      return harness.respond(endpoint, input, meta);
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  const address = `127.0.0.1:${port}`;
  const transport = createGrpcTransport({ address, definition, schemas });
  return Object.assign(harness, {
    server,
    port,
    address,
    transport,
    endpoint(name: string) {
      const found = definition.endpoints.find((e) => e.name === name);
      if (!found) throw new Error(`no endpoint ${name}`);
      return found;
    },
    async close() {
      await transport.close();
      await server.close(0);
      await rm(out, { recursive: true, force: true });
    },
  });
}
