// `MESH_<SERVICE>_HTTP` / `_GRPC` with one address (as before) or a comma-separated list of them:
// `MESH_USERS_HTTP=http://a:3001,http://b:3001`.
import { discoveryEnvName } from '../../../common/discovery.js';
import { checkAddressOf, type AddressKind } from '../address.js';
import type { InstanceSource } from '../source.js';
import { createStaticSource } from './static.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses a comma-separated address list; blanks around commas are ignored.
 *
 * @param value The variable's value, e.g. `http://a:3001, http://b:3001`.
 * @param kind `'http'` (origins) or `'grpc'` (`host:port`).
 * @param variable The variable's name, named in every error.
 * @returns The checked addresses, in the given order, without duplicates.
 * @throws Error naming `variable` (and the item's position in a list) for an empty item or a malformed address.
 * @example
 * parseAddressList('http://a:3001,http://b:3001/', 'http', 'MESH_USERS_HTTP'); // ['http://a:3001', 'http://b:3001']
 */
export function parseAddressList(value: string, kind: AddressKind, variable: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  const addresses = items.map((item, i) => {
    const where = items.length > 1 ? `${variable} (item ${i + 1} of ${items.length})` : variable;
    if (item === '') throw new Error(`${where}: empty address (expected e.g. ${kind === 'http' ? 'http://users:3001' : 'users:50051'})`);
    return checkAddressOf(item, kind, where);
  });
  return [...new Set(addresses)];
}

/**
 * The instances `MESH_<SERVICE>_HTTP` / `_GRPC` name, or `undefined` when the variable is unset or empty.
 *
 * @param service The callee's name (`users` reads `MESH_USERS_HTTP`).
 * @param kind `'http'` or `'grpc'`.
 * @param env The environment. Default `process.env`.
 * @throws Error naming the variable when a value is malformed.
 * @example
 * const source = createEnvSource('users', 'http', { MESH_USERS_HTTP: 'http://a:3001,http://b:3001' });
 * source?.current().length; // 2
 */
export function createEnvSource(service: string, kind: AddressKind, env: Env = process.env): InstanceSource | undefined {
  const variable = discoveryEnvName(service, kind === 'http' ? 'HTTP' : 'GRPC');
  const value = env[variable];
  if (value === undefined || value.trim() === '') return undefined;
  return createStaticSource(parseAddressList(value, kind, variable), { kind, description: variable });
}
