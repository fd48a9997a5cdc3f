// A fixed list of instances: from the spec, an override map or an environment variable.
import { checkAddressOf, type AddressKind } from '../address.js';
import { toInstances, type InstanceSource } from '../source.js';

/**
 * Options of {@link createStaticSource}.
 *
 * @example
 * const options: StaticSourceOptions = { kind: 'grpc', description: 'spec users.instances' };
 */
export interface StaticSourceOptions {
  /** `'http'` (origins) or `'grpc'` (`host:port`). */
  kind: AddressKind;
  /** Where the list came from, named in errors and messages. Default `'static list'`. */
  description?: string;
}

/**
 * A source whose instances never change.
 *
 * @param addresses The addresses (validated; duplicates dropped). May not be empty.
 * @param options `kind` of address; `description` (default `'static list'`) names it in errors.
 * @throws Error naming the description for an empty list or a malformed address.
 * @example
 * const source = createStaticSource(['http://10.0.0.7:3001', 'http://10.0.0.8:3001'], { kind: 'http', description: 'spec' });
 * source.current(); // two instances
 */
export function createStaticSource(addresses: readonly string[], options: StaticSourceOptions): InstanceSource {
  const description = options.description ?? 'static list';
  if (addresses.length === 0) throw new Error(`${description}: no addresses given`);
  const instances = Object.freeze(toInstances(addresses.map((a) => checkAddressOf(a, options.kind, description))));
  return {
    description,
    current: () => instances,
    subscribe: () => () => {},
    close: async () => {},
  };
}
