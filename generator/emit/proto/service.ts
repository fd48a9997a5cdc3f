// The proto file of one service: its gRPC service, a request and response message per endpoint,
// then the service's own types that those messages reach.
import type { EndpointModel, MeshModel, ServiceModel, TypeModel } from '../../model/types.js';
import { outputFiles, protoServiceName, servicePackage } from '../../naming/index.js';
import type { EmittedFile } from '../types.js';
import { comment } from './comments.js';
import { protoFile } from './file.js';
import { enumBlock, messageBlock } from './messages.js';
import { rpcShapes } from './rpc.js';
import { createScope } from './scope.js';

/** `reached`: every type the mesh's rpcs reach (reachable.ts); this file declares the service's own. */
export function serviceProto(model: MeshModel, service: ServiceModel, reached: readonly TypeModel[]): EmittedFile {
  const scope = createScope(model, service.name);
  const rpcs = rpcShapes(model, service);
  const owned = reached.filter((t) => t.owner === service.name);
  const names = [...rpcs.flatMap((rpc) => [rpc.request.name, rpc.response.name]), ...owned.map((t) => t.name)];
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`internal: proto file of ${service.name} would declare ${twice} twice`);
  const blocks = [
    serviceBlock(service),
    ...rpcs.flatMap((rpc) => [messageBlock(rpc.request, scope), messageBlock(rpc.response, scope)]),
    ...owned.map((t) => (t.kind === 'enum' ? enumBlock(t) : messageBlock(t, scope))),
  ];
  return {
    path: outputFiles.serviceProto(model.name, service.name),
    content: protoFile(model.name, servicePackage(model.name, service.name), scope, blocks),
    sources: [...new Set([model.meshFile, service.file])].sort(),
  };
}

function serviceBlock(service: ServiceModel): string[] {
  const rpcs = service.endpoints.flatMap((e) => [
    ...comment(e.description, '  '),
    ...comment(errorsLine(e), '  '),
    `  rpc ${e.grpcMethod}(${e.grpcMethod}Request) returns (${e.grpcMethod}Response);`,
  ]);
  return [...comment(service.description, ''), `service ${protoServiceName(service.name)} {`, ...rpcs, '}'];
}

/**
 * The declared errors with the status code each answers with, for whoever reads the .proto alone
 * (the code travels in ErrorInfo.reason and the x-mesh-error-code trailer; ARCHITECTURE.md).
 */
function errorsLine(endpoint: EndpointModel): string | undefined {
  if (endpoint.errors.length === 0) return undefined;
  return `Errors: ${endpoint.errors.map((e) => `${e.name} (${e.grpc})`).join(', ')}.`;
}
