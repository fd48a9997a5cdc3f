// The gRPC ClientTransport: one grpc-js channel per callee, one unary call per endpoint call.
import { Client, credentials, type CallOptions as GrpcCallOptions } from '@grpc/grpc-js';
import { InternalError } from '../errors/index.js';
import type { ServiceDefinition } from '../service/definition.js';
import type { CallOptions, ClientTransport } from '../transport/types.js';
import type { SchemaRegistry } from '../validation/types.js';
import { createGrpcCodec } from './codec.js';
import { passBytes } from './raw.js';
import { requestMetadata } from './metadata.js';
import { fromGrpcError } from './status.js';
import { UNSIGNED_TRUST, type CallerTrust } from '../identity/trust.js';

export interface GrpcTransportOptions {
  /** `host:port` of the callee's gRPC port. */
  address: string;
  /** The callee's definition; its `proto` must be set. */
  definition: ServiceDefinition;
  schemas: SchemaRegistry;
  /** How the calling service asserts its identity (signed with identity keys). Default: the unsigned metadata. */
  trust?: CallerTrust;
}

export function createGrpcTransport({ address, definition, schemas, trust = UNSIGNED_TRUST }: GrpcTransportOptions): ClientTransport {
  const codec = createGrpcCodec(definition, schemas);
  const client = new Client(address, credentials.createInsecure());

  return {
    call(endpoint, input, options) {
      return new Promise((resolve, reject) => {
        const { signal } = options;
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const endpointCodec = codec.endpoint(endpoint.name);
        const request = endpointCodec.encodeInput(input);
        const target = { service: definition.name, address, endpoint: endpoint.name };
        const onAbort = () => call.cancel();
        const call = client.makeUnaryRequest(
          endpointCodec.path,
          passBytes,
          passBytes,
          request,
          requestMetadata(options.requestId, options.caller ? trust.outgoing(options.caller) : [], options.idempotencyKey),
          grpcOptions(options),
          (err, response) => {
            signal?.removeEventListener('abort', onAbort);
            // The caller's own abort: it gets back the reason it aborted with, as with fetch.
            if (signal?.aborted) reject(signal.reason);
            else if (err) reject(fromGrpcError(err, target));
            else {
              try {
                resolve(endpointCodec.decodeOutput(response!));
              } catch (decodeErr) {
                // protobufjs's reason is for the log (the cause), not for whoever this error reaches.
                reject(new InternalError(`malformed ${endpoint.grpc.method} response from ${definition.name}`, { cause: decodeErr }));
              }
            }
          },
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async close() {
      client.close();
    },
  };
}

/**
 * The sooner of the propagated deadline and this call's own timeout: grpc-js sends it as
 * `grpc-timeout`, so the callee's context (and its own outgoing calls) never outlive it.
 */
function grpcOptions(options: CallOptions): GrpcCallOptions {
  const candidates: number[] = [];
  if (options.deadline != null) candidates.push(options.deadline);
  if (options.timeoutMs !== undefined) candidates.push(Date.now() + options.timeoutMs);
  return candidates.length === 0 ? {} : { deadline: Math.min(...candidates) };
}
