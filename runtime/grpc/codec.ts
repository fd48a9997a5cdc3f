// The wire format of one service's rpcs: loads its .proto with protobufjs once and precomputes,
// per endpoint, how hook-shaped inputs and outputs become request and response bytes and back.
import { resolve } from 'node:path';
import protobuf from 'protobufjs';
import type { EndpointDescriptor, ProtoDescriptor, ServiceDefinition } from '../service/definition.js';
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

  const keyOf = schemaKeys(proto);
  const ctx: ConverterContext = { keyOf, enumTable: enumTables(schemas, keyOf), required: requiredFields(schemas), memo: new Map() };
  const endpoints = new Map<string, EndpointCodec>();
  for (const endpoint of definition.endpoints) {
    const method = service.methods[endpoint.grpc.method];
    if (!method) throw new Error(`${proto.file}: ${proto.service} has no rpc ${endpoint.grpc.method}; regenerate the protos`);
    endpoints.set(endpoint.name, endpointCodec(endpoint, method, ctx, `/${proto.service}/${endpoint.grpc.method}`));
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

/**
 * A record travels whole in one field of the request or response (`{ createOrder: {...} }`), except
 * an input made of path params, which is the request itself.
 */
function endpointCodec(endpoint: EndpointDescriptor, method: protobuf.Method, ctx: ConverterContext, path: string): EndpointCodec {
  const requestType = method.resolvedRequestType!;
  const responseType = method.resolvedResponseType!;
  const { request: requestField, response: responseField } = endpoint.grpc;
  const request = messageConverter(requestType, requestField === null ? ctx.required(endpoint.input) : new Set([requestField]), ctx);
  const response = messageConverter(responseType, new Set(responseField === null ? [] : [responseField]), ctx);
  return {
    path,
    encodeInput: (input) => encode(requestType, request, requestField === null ? input : { [requestField]: input }),
    decodeInput(bytes) {
      const decoded = decode(requestType, request, bytes);
      return requestField === null ? decoded : present(decoded, requestType, requestField);
    },
    encodeOutput: (value) => encode(responseType, response, responseField === null ? {} : { [responseField]: value }),
    decodeOutput(bytes) {
      const decoded = decode(responseType, response, bytes);
      return responseField === null ? undefined : present(decoded, responseType, responseField);
    },
  };
}

/** The record a request or response carries; absent, the message is malformed (proto3 cannot require it). */
function present(decoded: Record<string, unknown>, type: protobuf.Type, field: string): unknown {
  const value = decoded[field];
  if (value === undefined) throw new TypeError(`${type.name}.${field}: missing`);
  return value;
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

function def(schemas: SchemaRegistry, key: string): SchemaDef {
  const found = Object.hasOwn(schemas.$defs, key) ? schemas.$defs[key] : undefined;
  if (!found) throw new Error(`the mesh schemas have no type ${key}, which the proto uses; regenerate`);
  return found as SchemaDef;
}

/** The schema key of a proto message or enum: `shop.orders.v1.Order` -> `orders.Order`, `shop.types.v1.X` -> `X`. */
function schemaKeys(proto: ProtoDescriptor): (type: protobuf.ReflectionObject) => string {
  return (type) => {
    const pkg = type.parent?.fullName.replace(/^\./, '') ?? '';
    const owner = Object.hasOwn(proto.packages, pkg) ? proto.packages[pkg] : undefined;
    if (owner === undefined) throw new Error(`${proto.file}: ${type.fullName} is in package ${pkg}, which the definition does not map; regenerate`);
    return owner === null ? type.name : `${owner}.${type.name}`;
  };
}

/** Proto enum `X` <-> `$defs.X.enum`, by position (ARCHITECTURE.md: value i is number i + 1). */
function enumTables(schemas: SchemaRegistry, keyOf: (type: protobuf.ReflectionObject) => string): (type: protobuf.Enum) => EnumTable {
  return (type) => {
    const values = def(schemas, keyOf(type)).enum;
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

function requiredFields(schemas: SchemaRegistry): (key: string) => ReadonlySet<string> {
  return (key) => {
    const required = def(schemas, key).required;
    return new Set(Array.isArray(required) ? (required as string[]) : []);
  };
}
