// Pools of names a spec may use, ordinary ones first (shrinking picks the first), then names that
// look for trouble: reserved words of TypeScript and JavaScript, protobuf keywords, Kubernetes names,
// and names the generator derives for something else.

/** Services and the mesh: lowercase letters and digits. */
export const SERVICE_NAMES = [
  'users', 'orders', 'items', 'a', 'x1', 'v1',
  // TypeScript and JavaScript
  'class', 'delete', 'default', 'then', 'new', 'function', 'this', 'return', 'async', 'await', 'yield', 'let',
  'static', 'export', 'interface', 'type', 'any', 'never', 'void', 'null', 'true', 'undefined', 'arguments', 'eval',
  // protobuf
  'message', 'option', 'package', 'map', 'optional', 'reserved', 'service', 'rpc', 'enum', 'import', 'syntax',
  'stream', 'returns', 'oneof', 'repeated', 'string', 'int64', 'bytes', 'google', 'protobuf',
  // Kubernetes and the generated layout
  'kubernetes', 'namespace', 'gateway', 'types', 'proto', 'events', 'schemas', 'stack', 'k8s', 'openapi', 'hooks',
  'generated', 'config', 'health', 'ready',
] as const;

/** Names a service may not take in some meshes: the arbitraries keep them out unless they mean to test the rule. */
export function serviceNameRisk(name: string, mesh: { gateway: boolean; namespace: string; grpc: boolean }): boolean {
  if (name === 'namespace' || name === 'kustomization') return true;
  if (name === 'gateway' && mesh.gateway) return true;
  if (name === 'types' && mesh.grpc) return true;
  if (name === 'kubernetes' && mesh.namespace === 'default') return true;
  return false;
}

export const MESH_NAMES = ['shop', 'mesh', 'default', 'kubernetes', 'class', 'message', 'types', 'users', 'a', 'x9', 'package', 'google'] as const;

/** PascalCase type and error names. */
export const TYPE_NAMES = [
  'Item', 'Order', 'User', 'Note', 'Entry', 'Line',
  'Class', 'Delete', 'Default', 'Then', 'Constructor', 'Prototype', 'Proto', 'Arguments', 'Interface', 'Type', 'Any',
  'Never', 'Unknown', 'Void', 'Null', 'Undefined', 'Infinity', 'NaN', 'Keyof', 'Typeof', 'Readonly2',
  'Message', 'Option', 'Package', 'Optional', 'Reserved', 'Service', 'Rpc', 'Enum', 'Stream', 'Returns', 'Syntax',
  'Import', 'Extend', 'Oneof', 'Repeated', 'Empty', 'Timestamp', 'Duration', 'Struct', 'Value', 'Status', 'Int64',
  'Double', 'Bool', 'Bytes', 'Google', 'Protobuf',
  'Request', 'Response', 'Input', 'Client', 'Context', 'Handlers', 'Events', 'Values', 'Definition', 'Host',
  'Namespace', 'Kubernetes', 'Gateway', 'Deployment', 'Pod', 'ConfigMap',
  'HTTPStatus', 'A', 'AB', 'A1', 'X2Y', 'Ipv4Kind', 'URLPath', 'Uuid', 'V1',
] as const;

/** Names the language rejects for types: only used by arbitraries that mean to test the rule. */
export const RESERVED_TYPE_NAMES = [
  'Promise', 'Map', 'Record', 'Error', 'Object', 'String', 'Array', 'Date', 'Symbol', 'JSON', 'Buffer', 'Partial',
  'MeshError', 'HandlerContext', 'ServiceDefinition', 'NotFound', 'NotImplemented',
] as const;

/** camelCase field names. Pairs like `userId` / `userid` differ only in case once underscores go. */
export const FIELD_NAMES = [
  'id', 'name', 'userId', 'userid', 'createdAt', 'count', 'tags', 'note', 'a', 'b1', 'ipv4Address', 'x2Y3',
  'class', 'delete', 'default', 'then', 'new', 'function', 'this', 'return', 'async', 'await', 'yield', 'let',
  'static', 'in', 'of', 'instanceof', 'typeof', 'void', 'null', 'true', 'false', 'undefined', 'nan', 'arguments',
  'message', 'option', 'package', 'map', 'optional', 'reserved', 'service', 'rpc', 'enum', 'import', 'syntax',
  'stream', 'returns', 'oneof', 'repeated', 'string', 'int64', 'bytes', 'type', 'field', 'items', 'values',
  'input', 'output', 'ctx', 'payload', 'error', 'errors', 'code', 'details', 'requestId', 'status', 'json',
  'prototype', 'proto', 'jsonName', 'camelCase', 'camelcase', 'snakeCase', 'snakecase',
] as const;

/** camelCase endpoint and handler names. */
export const OPERATION_NAMES = [
  'getItem', 'listItems', 'createItem', 'updateItem', 'removeItem', 'ping', 'search',
  'class', 'delete', 'default', 'then', 'new', 'function', 'catch', 'finally', 'await', 'import', 'export',
  'message', 'option', 'package', 'map', 'optional', 'reserved', 'service', 'rpc', 'enum', 'stream', 'returns',
  'call', 'apply', 'bind', 'name', 'length', 'caller', 'arguments', 'close', 'listen', 'handlers', 'subscriptions',
  'get', 'set', 'has', 'emit', 'publish', 'subscribe', 'ready', 'health', 'schemas', 'events',
  'getP1', 'whoAmi', 'usersClient', 'ordersClient',
] as const;

/** camelCase enum values. */
export const ENUM_VALUES = [
  'pending', 'done', 'inStock', 'instock', 'a', 'b2', 'x1Y2',
  'class', 'delete', 'default', 'then', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty',
  'null', 'true', 'false', 'undefined', 'nan', 'infinity', 'yes', 'no', 'on', 'off', 'y', 'n',
  'message', 'option', 'package', 'map', 'optional', 'reserved', 'unspecifiedValue', 'unknown', 'zero', 'none',
] as const;

/** Dotted lowercase event names. */
export const EVENT_NAMES = [
  'item.created', 'item.deleted', 'order.placed', 'a.b', 'x1.y2.z3',
  'class.delete', 'then.then', 'default.value', 'constructor.prototype', 'message.option', 'package.reserved',
  'kubernetes.default', 'gateway.ready',
] as const;

/** PascalCase error names a service may declare. */
export const ERROR_NAMES = [
  'ItemMissing', 'OutOfStock', 'Teapot', 'Class', 'Delete', 'Default', 'Then', 'Message', 'Option', 'Reserved',
  'Status', 'Code', 'Error2', 'HTTPError', 'A',
] as const;

export const BUILTIN_ERRORS = [
  'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'Gone', 'PreconditionFailed', 'Unprocessable',
  'TooManyRequests', 'Unavailable',
] as const;

/** Path segments: lowercase letters, digits and `._~-`. */
export const PATH_SEGMENTS = ['items', 'a', 'v1', 'x-y', 'a.b', '_', '~', 'new', 'me', 'class', 'delete', '0', '..x', 'ready'] as const;

export const ENV_NAMES = ['FEATURE_X', 'A', 'LOG_LEVEL', 'NODE_ENV', 'TZ', 'X_1', 'MESH_USERS_HTTP'] as const;

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Names the generator derives for things in this spec: a type taking one tests the clash checks. */
export function derivedNames(parts: { services: string[]; endpoints: string[]; enums: string[]; mesh: string }): string[] {
  const names: string[] = [`${pascal(parts.mesh)}Events`];
  for (const s of parts.services) {
    for (const suffix of ['Client', 'Clients', 'Context', 'EventContext', 'Handlers', 'Subscriptions', 'Publishes', 'Service']) {
      names.push(`${pascal(s)}${suffix}`);
    }
  }
  for (const e of parts.endpoints) names.push(`${pascal(e)}Request`, `${pascal(e)}Response`, `${pascal(e)}Input`);
  for (const e of parts.enums) names.push(`${e}Values`);
  return names;
}
