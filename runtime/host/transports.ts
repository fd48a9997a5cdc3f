// The default TransportFor of a service: one transport per callee and transport kind, made on first
// use (addresses resolved then) and closed with the service.
import type { Logger } from 'pino';
import { resolveGrpcAddress, resolveHttpOrigin, type DiscoveryOverrides } from '../discovery/index.js';
import { createGrpcTransport } from '../grpc/client.js';
import { createHttpTransport } from '../http/client.js';
import type { ServiceDefinition } from '../service/definition.js';
import type { ClientTransport } from '../transport/types.js';
import type { SchemaRegistry } from '../validation/types.js';
import type { TransportFor } from './types.js';

export interface TransportFactoryOptions {
  /** Definitions of the services that may be called, by name. */
  callees: Readonly<Record<string, ServiceDefinition>>;
  schemas: SchemaRegistry;
  logger: Logger;
  discovery?: DiscoveryOverrides | undefined;
}

export interface TransportFactory {
  readonly transportFor: TransportFor;
  /** Closes every transport made so far. */
  close(): Promise<void>;
}

export function createTransportFactory(options: TransportFactoryOptions): TransportFactory {
  const { callees, schemas, logger, discovery } = options;
  const made = { http: new Map<string, ClientTransport>(), grpc: new Map<string, ClientTransport>() };

  const create = (service: string, kind: 'http' | 'grpc'): ClientTransport => {
    const callee = callees[service];
    if (!callee) throw new Error(`no definition of '${service}' to call: is it listed in this service's calls?`);
    if (kind === 'http') {
      return createHttpTransport({ origin: resolveHttpOrigin(service, callee.ports.http, discovery), service, logger });
    }
    if (callee.ports.grpc === null || !callee.proto) throw new Error(`'${service}' has no gRPC port to call`);
    return createGrpcTransport({
      address: resolveGrpcAddress(service, callee.ports.grpc, discovery),
      definition: callee,
      schemas,
    });
  };

  return {
    transportFor(service, kind) {
      const cache = made[kind];
      let transport = cache.get(service);
      if (!transport) cache.set(service, (transport = create(service, kind)));
      return transport;
    },
    async close() {
      const all = [...made.http.values(), ...made.grpc.values()];
      made.http.clear();
      made.grpc.clear();
      await Promise.all(all.map((t) => t.close()));
    },
  };
}
