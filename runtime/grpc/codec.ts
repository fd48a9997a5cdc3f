// The wire format of one service's rpcs: loads its .proto with protobufjs once and precomputes,
// per endpoint, how hook-shaped inputs and outputs become request and response bytes and back.
import { resolve } from 'node:path';
import protobuf from 'protobufjs';
import type { EndpointDescriptor, ProtoDescriptor, ServiceDefinition } from '../service/definition.js';
import type { SchemaRegistry } from '../validation/types.js';
import { ValidationFailed } from '../errors/index.js';
import { jsonName, messageConverter, type ConverterContext, type EnumTable, type MessageConverter } from './convert.js';
import { ConversionError, jsonPointer, pointerTokens, protoFieldPath, type PathSegment } from './field-path.js';

export interface EndpointCodec {
  /** gRPC method path, e.g. `/shop.users.v1.UsersService/GetUser`. */
  readonly path: string;
  /** Throws ValidationFailed (naming the field) for an input the request message cannot carry. */
  encodeInput(input: unknown): Buffer;
  /**
   * Strict: throws ValidationFailed for a value the spec does not allow (an enum number without a
   * value, UNSPECIFIED included), and protobufjs's own error for bytes that are not the message.
   */
  decodeInput(bytes: Buffer): unknown;
  /** Wraps a list output as `{ items }`; ignores the output of an endpoint without one. Throws a TypeError naming the field. */
  encodeOutput(output: unknown): Buffer;
  /** Unwraps `items`; `undefined` for an endpoint without output. Tolerant of enum numbers it does not know. */
  decodeOutput(bytes: Buffer): unknown;
  /** The request's proto field path (`create_order.items[2].quantity`) of a JSON pointer into the input. */
  fieldPath(pointer: string): string;
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

/** Requests decode strictly, responses tolerantly (convert.ts, ConverterContext.strict): one set of converters each. */
interface Contexts {
  readonly requests: ConverterContext;
  readonly responses: ConverterContext;
}

function buildCodec(definition: ServiceDefinition, schemas: SchemaRegistry): GrpcCodec {
  const proto = definition.proto;
  if (!proto) throw new Error(`service ${definition.name} has no gRPC port, so no proto`);
  const root = new protobuf.Root();
  // Imports (`shop/types/v1/types.proto`) are relative to the proto root, like buf's module root.
  root.resolvePath = (_origin, target) => resolve(proto.root, target);
  // Field names as the .proto spells them, for messages; converters map them to the spec's names.
  root.loadSync(proto.file, { keepCase: true });
  root.resolveAll();
  const service = root.lookupService(proto.service);

  const keyOf = schemaKeys(proto);
  const shared = { keyOf, enumTable: enumTables(schemas, keyOf), required: requiredFields(schemas) };
  const contexts: Contexts = { requests: { ...shared, strict: true, memo: new Map() }, responses: { ...shared, strict: false, memo: new Map() } };
  const endpoints = new Map<string, EndpointCodec>();
  for (const endpoint of definition.endpoints) {
    const method = service.methods[endpoint.grpc.method];
    if (!method) throw new Error(`${proto.file}: ${proto.service} has no rpc ${endpoint.grpc.method}; regenerate the protos`);
    endpoints.set(endpoint.name, endpointCodec(endpoint, method, contexts, `/${proto.service}/${endpoint.grpc.method}`));
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
 * A record travels whole in one field of the request or response (`{ create_order: {...} }`),
 * except an input made of path params, which is the request itself.
 */
function endpointCodec(endpoint: EndpointDescriptor, method: protobuf.Method, contexts: Contexts, path: string): EndpointCodec {
  const requestType = method.resolvedRequestType!;
  const responseType = method.resolvedResponseType!;
  const requestField = carrier(requestType, endpoint.grpc.request);
  const responseField = carrier(responseType, endpoint.grpc.response);
  const required = (field: protobuf.Field | null, none: ReadonlySet<string>) => (field === null ? none : new Set([jsonName(field)]));
  const request = messageConverter(requestType, required(requestField, contexts.requests.required(endpoint.input)), contexts.requests);
  const response = messageConverter(responseType, required(responseField, new Set()), contexts.responses);
  const wrap = (field: protobuf.Field | null, value: unknown) => (field === null ? value : { [jsonName(field)]: value });
  return {
    path,
    encodeInput(input) {
      try {
        return encode(requestType, request, wrap(requestField, input));
      } catch (err) {
        throw invalidInput(requestType, requestField, err);
      }
    },
    decodeInput(bytes) {
      const message = requestType.decode(bytes) as unknown as Record<string, unknown>;
      // proto3 reads an unset message field as the empty message: a client that sends no record
      // (`grpcurl -d '{}'`) sends an empty one, whose own fields then say what is missing.
      if (requestField !== null && message[requestField.name] == null) message[requestField.name] = {};
      try {
        return carried(request.fromProto(message), requestField);
      } catch (err) {
        throw invalidInput(requestType, requestField, err);
      }
    },
    encodeOutput(value) {
      try {
        return encode(responseType, response, responseField === null ? {} : wrap(responseField, value));
      } catch (err) {
        throw unfit(responseType, err);
      }
    },
    decodeOutput(bytes) {
      const message = responseType.decode(bytes) as unknown as Record<string, unknown>;
      try {
        return responseField === null ? undefined : carried(response.fromProto(message), responseField);
      } catch (err) {
        throw unfit(responseType, err);
      }
    },
    fieldPath: (pointer) => protoFieldPathOf(requestType, requestField, pointer),
  };
}

/** The field of `type` that carries the record, by the JSON name the definition gives. */
function carrier(type: protobuf.Type, json: string | null): protobuf.Field | null {
  if (json === null) return null;
  const field = type.fieldsArray.find((f) => jsonName(f) === json);
  if (!field) throw new Error(`proto message ${type.fullName} has no field ${json}; regenerate the protos`);
  return field;
}

/** The record a request or response carries; absent from a response, the response is malformed. */
function carried(decoded: Record<string, unknown>, field: protobuf.Field | null): unknown {
  if (field === null) return decoded;
  const value = decoded[jsonName(field)];
  if (value === undefined) throw new ConversionError('missing required field').within(segmentOf(field));
  return value;
}

function segmentOf(field: protobuf.Field): PathSegment {
  return { field: field.name, json: jsonName(field) };
}

function encode(type: protobuf.Type, converter: MessageConverter, value: unknown): Buffer {
  const bytes = type.encode(converter.toProto(value)).finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `PutItemRequest.item.count: expected an integer, got 1.5`. */
function describeAt(type: protobuf.Type, err: ConversionError): string {
  const path = protoFieldPath(err.path);
  return `${type.name}${path === '' ? '' : `.${path}`}: ${err.problem}`;
}

/**
 * The same error a caller gets over HTTP for the same input: ValidationFailed whose details point
 * into the input (not the request message that wraps it).
 */
function invalidInput(type: protobuf.Type, wrapper: protobuf.Field | null, err: unknown): unknown {
  if (!(err instanceof ConversionError)) return err;
  const inInput = wrapper === null ? err.path : err.path.slice(1);
  return new ValidationFailed(`invalid input: ${describeAt(type, err)}`, [{ path: jsonPointer(inInput), message: err.problem }]);
}

/** An output that does not fit the response, or a response that does not fit the spec: a bug on one side. */
function unfit(type: protobuf.Type, err: unknown): unknown {
  return err instanceof ConversionError ? new TypeError(describeAt(type, err)) : err;
}

/**
 * Walks the request message along a JSON pointer into the input, so a field violation names proto
 * fields (`create_order.items[2].product_id`). Tokens that name no field (an unknown property) are
 * kept as they are.
 */
function protoFieldPathOf(request: protobuf.Type, wrapper: protobuf.Field | null, pointer: string): string {
  const path: PathSegment[] = [];
  // Where the walk is: in a message (its fields come next), or in a list or map (an index or key next).
  let at: { message: protobuf.Type | null } | { collection: protobuf.Field } = { message: request };
  const tokens = pointerTokens(pointer);
  const steps: (protobuf.Field | string)[] = wrapper ? [wrapper, ...tokens] : tokens;
  for (const step of steps) {
    if ('collection' in at) {
      const token = String(step);
      const collection: protobuf.Field = at.collection;
      path.push(collection.map || !/^\d+$/.test(token) ? { key: token } : { index: Number(token) });
      at = { message: messageOf(collection) };
      continue;
    }
    const message: protobuf.Type | null = at.message;
    const field: protobuf.Field | undefined = typeof step === 'string' ? message?.fieldsArray.find((f) => jsonName(f) === step) : step;
    if (!field) {
      const token = String(step);
      path.push(message === null && /^\d+$/.test(token) ? { index: Number(token) } : { field: token, json: token });
      at = { message: null };
      continue;
    }
    path.push(segmentOf(field));
    at = field.repeated || field.map ? { collection: field } : { message: messageOf(field) };
  }
  return protoFieldPath(path);
}

function messageOf(field: protobuf.Field): protobuf.Type | null {
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
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
