// The proto file of one service: its gRPC service, a request and response message per endpoint,
// then every type the service owns.
import type { EmittedFile, EndpointModel, MeshModel, RecordTypeModel, ServiceModel } from '../../model/types.js';
import { comment } from './comments.js';
import { protoFile } from './file.js';
import { enumBlock, messageBlock, type MessageShape } from './messages.js';
import { protoServiceName, serviceProtoFile, servicePackage } from './names.js';
import { createScope, type ProtoScope } from './scope.js';

export function serviceProto(model: MeshModel, service: ServiceModel): EmittedFile {
  const scope = createScope(model, service.name);
  // A synthesized `<Endpoint>Input` only restates the request message's fields: not emitted.
  const synthesized = new Set(service.endpoints.filter((e) => e.inputSynthesized).map((e) => e.input));
  const owned = model.types.filter((t) => t.owner === service.name && !synthesized.has(t.name));
  const rpcMessages = service.endpoints.flatMap((e) => [requestShape(e, scope), responseShape(e, scope)]);

  const ownedNames = new Set(owned.map((t) => t.name));
  for (const m of rpcMessages) {
    if (ownedNames.has(m.name)) throw new Error(`proto: service ${service.name} declares a type ${m.name}, which is also the name of an rpc message`);
  }

  const blocks = [
    serviceBlock(service),
    ...rpcMessages.map((m) => messageBlock(m, scope)),
    ...owned.map((t) => (t.kind === 'enum' ? enumBlock(t) : messageBlock(t, scope))),
  ];
  return {
    path: `proto/${serviceProtoFile(model.name, service.name)}`,
    content: protoFile(model.name, servicePackage(model.name, service.name), scope, blocks),
    sources: [...new Set([model.meshFile, service.file])].sort(),
  };
}

function serviceBlock(service: ServiceModel): string[] {
  const rpcs = service.endpoints.flatMap((e) => [
    ...comment(e.description, '  '),
    `  rpc ${e.grpcMethod}(${e.grpcMethod}Request) returns (${e.grpcMethod}Response);`,
  ]);
  return [...comment(service.description, ''), `service ${protoServiceName(service.name)} {`, ...rpcs, '}'];
}

/** `<Method>Request`: the input record's fields, numbers and reserved numbers. */
function requestShape(endpoint: EndpointModel, scope: ProtoScope): MessageShape {
  const input = record(endpoint.input, scope, `input of ${endpoint.name}`);
  return { name: `${endpoint.grpcMethod}Request`, fields: input.fields, reserved: input.reserved, origin: input.name };
}

/** `<Method>Response`: the output record's fields, `repeated T items = 1` for a list, empty for none. */
function responseShape(endpoint: EndpointModel, scope: ProtoScope): MessageShape {
  const name = `${endpoint.grpcMethod}Response`;
  const output = endpoint.output;
  if (output === null) return { name, fields: [], reserved: [] };
  if (output.list) {
    const items = { name: 'items', number: 1, optional: false, type: { kind: 'array', items: { kind: 'ref', name: output.type } }, constraints: {} } as const;
    return { name, fields: [items], reserved: [] };
  }
  const out = record(output.type, scope, `output of ${endpoint.name}`);
  return { name, fields: out.fields, reserved: out.reserved, origin: out.name };
}

function record(name: string, scope: ProtoScope, role: string): RecordTypeModel {
  const type = scope.type(name);
  if (type.kind !== 'record') throw new Error(`proto: the ${role} is ${name}, an enum; a message needs a record`);
  return type;
}
