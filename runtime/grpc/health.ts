// The standard gRPC health service (grpc.health.v1.Health), so gRPC-native probes and load balancers
// can ask: Check answers once, Watch streams the status and every change, List gives every status
// (the server's, `''`, and its service's). A server that answers is SERVING once it is ready (its
// event bus connected: `isReady`), NOT_SERVING before; when shutdown starts it is NOT_SERVING, and Watch streams say so and end, so a balancer drains this instance before it
// stops taking calls, and the streams do not hold the shutdown.
import {
  status as Status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Server,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { rawServerStreamingMethod, rawUnaryMethod } from './raw.js';
import { standardType } from './standard-protos.js';

const HealthCheckRequest = standardType('grpc.health.v1.HealthCheckRequest');
const HealthCheckResponse = standardType('grpc.health.v1.HealthCheckResponse');
const HealthListResponse = standardType('grpc.health.v1.HealthListResponse');
const SERVING = 1;
const NOT_SERVING = 2;
const SERVICE_UNKNOWN = 3;

export interface HealthService {
  /** Every status becomes NOT_SERVING; Watch streams get that and end. */
  shutdown(): void;
  /** Tells Watch streams the status again if `isReady` changed it. */
  readinessChanged(): void;
}

/**
 * Answers for `''` (the whole server) and `service` (the fully qualified proto service name).
 * `isReady` (default: always) is asked on every Check and List; call `readinessChanged` when it flips.
 */
export function addHealthService(server: Server, service: string, isReady: () => boolean = () => true): HealthService {
  let serving = true;
  const watchers = new Set<ServerWritableStream<Buffer, Buffer>>();
  const statusOf = (asked: string) => (asked !== '' && asked !== service ? SERVICE_UNKNOWN : serving && isReady() ? SERVING : NOT_SERVING);
  const told = new WeakMap<ServerWritableStream<Buffer, Buffer>, number>();

  const check: handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const asked = serviceName(call.request);
    if (asked === null) callback({ code: Status.INVALID_ARGUMENT, details: 'malformed HealthCheckRequest' });
    else if (statusOf(asked) === SERVICE_UNKNOWN) callback({ code: Status.NOT_FOUND, details: `unknown service ${asked}` });
    else callback(null, response(statusOf(asked)));
  };

  // As health.proto says: an unknown service is SERVICE_UNKNOWN, and the stream stays open.
  const watch: handleServerStreamingCall<Buffer, Buffer> = (call) => {
    const asked = serviceName(call.request);
    if (asked === null) {
      call.emit('error', { code: Status.INVALID_ARGUMENT, details: 'malformed HealthCheckRequest' });
      return;
    }
    told.set(call, statusOf(asked));
    call.write(response(statusOf(asked)));
    if (!serving) {
      call.end();
      return;
    }
    watchers.add(call);
    call.on('cancelled', () => watchers.delete(call));
  };

  const list: handleUnaryCall<Buffer, Buffer> = (_call, callback) => {
    const status = { status: statusOf('') };
    callback(null, Buffer.from(HealthListResponse.encode({ statuses: { '': status, [service]: status } }).finish()));
  };

  server.addService(
    {
      Check: rawUnaryMethod('/grpc.health.v1.Health/Check'),
      Watch: rawServerStreamingMethod('/grpc.health.v1.Health/Watch'),
      List: rawUnaryMethod('/grpc.health.v1.Health/List'),
    },
    { Check: check, Watch: watch, List: list },
  );

  return {
    readinessChanged() {
      for (const call of watchers) {
        const now = statusOf(serviceName(call.request) ?? '');
        if (told.get(call) === now) continue;
        told.set(call, now);
        call.write(response(now));
      }
    },
    shutdown() {
      if (!serving) return;
      serving = false;
      for (const call of watchers) {
        const asked = serviceName(call.request) ?? '';
        // Told already when readiness turned off first (a drain delay): a change is streamed once.
        if (statusOf(asked) !== SERVICE_UNKNOWN && told.get(call) !== NOT_SERVING) call.write(response(NOT_SERVING));
        call.end();
      }
      watchers.clear();
    },
  };
}

/** `HealthCheckRequest.service`, or null when the bytes are not a HealthCheckRequest. */
function serviceName(bytes: Buffer): string | null {
  try {
    return (HealthCheckRequest.decode(bytes) as unknown as { service: string }).service;
  } catch {
    return null;
  }
}

function response(status: number): Buffer {
  return Buffer.from(HealthCheckResponse.encode({ status }).finish());
}
