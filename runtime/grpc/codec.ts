// The wire format of one service's rpcs: loads its .proto with protobufjs once and precomputes,
// per endpoint, how hook-shaped inputs and outputs become request and response bytes and back.
import { resolve } from 'node:path';
import protobuf from 'protobufjs';
import type { EndpointDescriptor, ServiceDefinition } from '../service/definition.js';
import type { SchemaRegistry } from '../validation/types.js';
import { messageConverter, type ConverterContext, type EnumTable, type MessageConverter } from './convert.js';

export interface EndpointCodec {
  /** gRPC method path, e.g. `/shop.users.v1.UsersService/GetUser`. */
  readonly path: string;
  encodeInput(input: unknown): Buffer;
  decodeInput(bytes: Buffer): unknown;
  /** Wraps a list output as `{ items }`; ignores the output of an endpoint without one. */
  encodeOutput(output: unknown): Buffer;
  /** Unwraps `items`; `undefined` for an endpoint without output. */
  decodeOutput(bytes: Buffer): unknown;
}

export interface GrpcCodec {
  /** Fully qualified proto service name. */
  readonly service: string;
  /** The codec of an endpoint of the definition (throws for an unknown name). */
  endpoint(name: string): EndpointCodec;
}

const cache = new WeakMap<ServiceDefinition, WeakMap<SchemaRegistry, GrpcCodec>>();

/** The codec of a service with a proto; cached per (definition, schemas) since loading reads files. */
export function createGrpcCodec(definition: ServiceDefinition, schemas: SchemaRegistry): GrpcCodec {
  let bySchemas = cache.get(definition);
  if (!bySchemas) cache.set(definition, (bySchemas = new WeakMap()));
  let codec = bySchemas.get(schemas);
  if (!codec) bySchemas.set(schemas, (codec = buildCodec(definition, schemas)));
  return codec;
}

function buildCodec(definition: ServiceDefinition, schemas: SchemaRegistry): GrpcCodec {
  const proto = definition.proto;
  if (!proto) throw new Error(`service ${definition.name} has no gRPC port, so no proto`);
  const root = new protobuf.Root();
  // Imports (`shop/types/v1/types.proto`) are relative to the proto root, like buf's module root.
  root.resolvePath = (_origin, target) => resolve(proto.root, target);
  root.loadSync(proto.file);
  root.resolveAll();
  const service = root.lookupService(proto.service);

  const ctx: ConverterContext = { enumTable: enumTables(schemas), required: requiredFields(schemas), memo: new Map() };
  const endpoints = new Map<string, EndpointCodec>();
  for (const endpoint of definition.endpoints) {
    const method = service.methods[endpoint.grpcMethod];
    if (!method) throw new Error(`${proto.file}: ${proto.service} has no rpc ${endpoint.grpcMethod}; regenerate the protos`);
    endpoints.set(endpoint.name, endpointCodec(endpoint, method, ctx, `/${proto.service}/${endpoint.grpcMethod}`));
  }
  return {
    service: proto.service,
    endpoint(name) {
      const found = endpoints.get(name);
      if (!found) throw new Error(`service ${definition.name} has no endpoint ${name}`);
      return found;
    },
  };
}

function endpointCodec(endpoint: EndpointDescriptor, method: protobuf.Method, ctx: ConverterContext, path: string): EndpointCodec {
  const requestType = method.resolvedRequestType!;
  const responseType = method.resolvedResponseType!;
  const request = messageConverter(requestType, ctx.required(endpoint.input), ctx);
  const output = endpoint.output;
  const responseRequired = output === null ? new Set<string>() : output.list ? new Set(['items']) : ctx.required(output.type);
  const response = messageConverter(responseType, responseRequired, ctx);
  return {
    path,
    encodeInput: (input) => encode(requestType, request, input),
    decodeInput: (bytes) => decode(requestType, request, bytes),
    encodeOutput: (value) => encode(responseType, response, output === null ? {} : output.list ? { items: value } : value),
    decodeOutput(bytes) {
      const decoded = decode(responseType, response, bytes);
      if (output === null) return undefined;
      return output.list ? decoded.items : decoded;
    },
  };
}

function encode(type: protobuf.Type, converter: MessageConverter, value: unknown): Buffer {
  const bytes = type.encode(converter.toProto(value)).finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decode(type: protobuf.Type, converter: MessageConverter, bytes: Buffer): Record<string, unknown> {
  return converter.fromProto(type.decode(bytes) as unknown as Record<string, unknown>);
}

interface SchemaDef {
  enum?: unknown;
  required?: unknown;
}

function def(schemas: SchemaRegistry, name: string): SchemaDef {
  const found = schemas.$defs[name];
  if (!found) throw new Error(`the mesh schemas have no type ${name}, which the proto uses; regenerate`);
  return found as SchemaDef;
}

/** Proto enum `X` <-> `$defs.X.enum`, by position (ARCHITECTURE.md: value i is number i + 1). */
function enumTables(schemas: SchemaRegistry): (type: protobuf.Enum) => EnumTable {
  return (type) => {
    const values = def(schemas, type.name).enum;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
      throw new Error(`the mesh schema of ${type.name} is not an enum of strings`);
    }
    const protoCount = Object.keys(type.values).length - 1;
    if (protoCount !== values.length) {
      throw new Error(`proto enum ${type.name} has ${protoCount} values but its schema ${values.length}; regenerate`);
    }
    return { values, numbers: new Map(values.map((v, i) => [v, i + 1])) };
  };
}

function requiredFields(schemas: SchemaRegistry): (typeName: string) => ReadonlySet<string> {
  return (typeName) => {
    const required = def(schemas, typeName).required;
    return new Set(Array.isArray(required) ? (required as string[]) : []);
  };
}
