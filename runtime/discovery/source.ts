// What every instance source offers the pool: the instances known now and a notice when they
// change. A source never throws at a pick: it keeps its last good set when a refresh fails.

/** One running copy of a service, named by its address (an HTTP origin or a gRPC `host:port`). */
export interface ServiceInstance {
  /** `http://10.0.0.7:3001` or `10.0.0.7:50051`; unique within a source. */
  readonly address: string;
}

/** Called with the complete new set each time it changes. */
export type InstancesListener = (instances: readonly ServiceInstance[]) => void;

/** Where a pool learns the instances of one dependency. */
export interface InstanceSource {
  /** Says where the instances come from, for messages (`MESH_USERS_HTTP`, `dns users.shop.svc.cluster.local`). */
  readonly description: string;
  /** The instances known now (may be empty while a DNS source has not resolved yet). */
  current(): readonly ServiceInstance[];
  /** Registers `listener` for changes; returns the function that unregisters it. */
  subscribe(listener: InstancesListener): () => void;
  /** Stops timers and in-flight refreshes; the last set stays readable. */
  close(): Promise<void>;
}

/**
 * Instances for a list of addresses, without duplicates, in a stable (sorted) order.
 *
 * @param addresses Checked addresses.
 * @example
 * toInstances(['http://b:1', 'http://a:1', 'http://a:1']); // [{ address: 'http://a:1' }, { address: 'http://b:1' }]
 */
export function toInstances(addresses: Iterable<string>): ServiceInstance[] {
  return [...new Set(addresses)].sort().map((address) => ({ address }));
}

/**
 * True when two instance lists hold the same addresses in the same order.
 *
 * @example
 * sameInstances([{ address: 'a' }], [{ address: 'a' }]); // true
 */
export function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  return a.length === b.length && a.every((instance, i) => instance.address === b[i]!.address);
}
