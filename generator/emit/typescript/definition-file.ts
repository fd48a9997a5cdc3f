// generated/<svc>/definition.ts: the service as plain data (runtime/service/definition.ts).
import type { EndpointModel, MeshModel, ServiceModel } from '../../model/types.js';
import { type Literal, code, importBlock, jsdoc, joinBlocks, printLiteral } from './code.js';
import { pascalCase } from '../../model/names.js';
import { serviceNames } from './names.js';

function endpointLiteral(endpoint: EndpointModel): Literal {
  return {
    name: endpoint.name,
    method: endpoint.http.method,
    path: endpoint.http.path,
    pathParams: endpoint.http.pathParams,
    inputSource: endpoint.http.inputSource,
    successStatus: endpoint.http.successStatus,
    input: endpoint.input,
    output: endpoint.output && { type: endpoint.output.type, list: endpoint.output.list },
    errors: Object.fromEntries(endpoint.errors.map((e) => [e.name, e.status])),
    grpcMethod: endpoint.grpcMethod,
  };
}

/** Where the service's proto lives: resolved against this file so it works from any working directory. */
function protoLiteral(model: MeshModel, service: ServiceModel): Literal {
  if (service.ports.grpc === null) return null;
  return {
    root: code("fileURLToPath(new URL('../proto', import.meta.url))"),
    file: `${model.name}/${service.name}/v1/${service.name}.proto`,
    service: `${model.name}.${service.name}.v1.${pascalCase(service.name)}Service`,
  };
}

export function definitionFile(model: MeshModel, service: ServiceModel): string {
  const proto = protoLiteral(model, service);
  const definition: Literal = {
    mesh: model.name,
    name: service.name,
    version: model.version,
    ports: { http: service.ports.http, grpc: service.ports.grpc },
    endpoints: service.endpoints.map(endpointLiteral),
    subscriptions: service.subscribes.map((s) => ({ event: s.event, handler: s.handler })),
    publishes: service.publishes,
    calls: service.calls.map((c) => ({ service: c.service, transport: c.transport })),
    proto,
  };
  const imports = importBlock([
    { names: proto === null ? [] : ['fileURLToPath'], from: 'node:url' },
    { names: ['ServiceDefinition'], from: 'meshspec/runtime', typeOnly: true },
  ]);
  const doc = jsdoc(service.description ?? `The ${service.name} service.`);
  const name = serviceNames(service.name).definition;
  const body = `${doc}export const ${name} = ${printLiteral(definition, 0, 0, true)} as const satisfies ServiceDefinition;\n`;
  return joinBlocks([imports, body]);
}
