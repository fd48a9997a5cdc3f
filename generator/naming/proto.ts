// Protobuf names derived from spec names (ARCHITECTURE.md, "Naming rules"): packages, files, the gRPC
// service, rpc messages and their fields, enum values.
import { pascalCase, snakeCase, typeSnake, typeUpperSnake, upperSnakeCase } from './case.js';

/** Proto field name: `createdAt` -> `created_at` (protobufjs camelCases it back). */
export function protoFieldName(field: string): string {
  return snakeCase(field);
}

/** Prefix of an enum's value names: `OrderStatus` -> `ORDER_STATUS` (buf's ENUM_VALUE_PREFIX). */
export function enumPrefix(typeName: string): string {
  return typeUpperSnake(typeName);
}

/** `OrderStatus`, `inStock` -> `ORDER_STATUS_IN_STOCK`. */
export function enumValueName(typeName: string, value: string): string {
  return `${enumPrefix(typeName)}_${upperSnakeCase(value)}`;
}

/** `OrderStatus` -> `ORDER_STATUS_UNSPECIFIED`: the zero value protobuf requires. */
export function enumZeroName(typeName: string): string {
  return `${enumPrefix(typeName)}_UNSPECIFIED`;
}

/** Package of a service: `shop.users.v1`. */
export function servicePackage(mesh: string, service: string): string {
  return `${mesh}.${service}.v1`;
}

/** Package of the mesh-level types: `shop.types.v1`. */
export function typesPackage(mesh: string): string {
  return `${mesh}.types.v1`;
}

/** Proto file of a service, relative to the proto root: `shop/users/v1/users.proto`. */
export function serviceProtoFile(mesh: string, service: string): string {
  return `${mesh}/${service}/v1/${service}.proto`;
}

/** Proto file of the mesh-level types, relative to the proto root. */
export function typesProtoFile(mesh: string): string {
  return `${mesh}/types/v1/types.proto`;
}

/** `users` -> `UsersService`. */
export function protoServiceName(service: string): string {
  return `${pascalCase(service)}Service`;
}

/** gRPC method of an endpoint: `getUser` -> `GetUser`. */
export function grpcMethodName(endpoint: string): string {
  return pascalCase(endpoint);
}

/** `GetUserRequest`, `GetUserResponse`. */
export function rpcMessageNames(endpoint: string): { request: string; response: string } {
  const method = grpcMethodName(endpoint);
  return { request: `${method}Request`, response: `${method}Response` };
}

/**
 * The field of a request or response message that carries a declared record whole:
 * `CreateOrder` -> `create_order` in proto, `createOrder` in the JSON shape protobufjs decodes to.
 */
export function wrapperField(typeName: string): { proto: string; json: string } {
  const proto = typeSnake(typeName);
  return { proto, json: proto.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) };
}

/** The field of a list response: `repeated Order items = 1`. */
export const LIST_FIELD = { proto: 'items', json: 'items' } as const;

/** The fields that carry an endpoint's input and output whole; null where the message holds fields of its own. */
export interface RpcFields {
  /** Null when the input was synthesized from path params: those are the request's own fields. */
  request: { proto: string; json: string } | null;
  /** Null when there is no output (an empty response). */
  response: { proto: string; json: string } | null;
}

/** The gRPC contract of one endpoint: see generator/emit/proto/rpc.ts. */
export function rpcFields(endpoint: { input: string; inputSynthesized: boolean; output: { type: string; list: boolean } | null }): RpcFields {
  const { output } = endpoint;
  return {
    request: endpoint.inputSynthesized ? null : wrapperField(endpoint.input),
    response: output === null ? null : output.list ? LIST_FIELD : wrapperField(output.type),
  };
}
