// The standard gRPC health service (grpc.health.v1.Health), so gRPC-native probes and load balancers
// can ask: Check answers once, Watch streams the status and every change, List gives every status
// (the server's, `''`, and its service's). A server that answers is SERVING once it is ready (the
// same readiness as HTTP /ready: `isReady`), NOT_SERVING before; when shutdown starts it is NOT_SERVING, and Watch streams say so and end, so a balancer drains this instance before it
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
  /** Asks `isReady` again and tells Watch streams the status if it changed. */
  readinessChanged(): void;
}

/** How often readiness is asked again while a Watch stream is open (nothing else would ask it). */
export const WATCH_REFRESH_MS = 5000;

/**
 * Answers for `''` (the whole server) and `service` (the fully qualified proto service name).
 * `isReady` (default: always) may answer later (readiness runs checks with timeouts); each Check and
 * List asks it afresh, Watch streams are answered from the last answer, refreshed every
 * WATCH_REFRESH_MS while one is open and when `readinessChanged` is called.
 */
export function addHealthService(server: Server, service: string, isReady: () => boolean | Promise<boolean> = () => true): HealthService {
  let serving = true;
  // The last answer: Watch needs a status at once, and the checks take time (a Check waits for them,
  // so a probe sees what /ready sees; a Watch is told when it changes, never blocked on a run).
  let ready = false;
  const refresh = async (): Promise<void> => {
    const answer = isReady();
    ready = typeof answer === 'boolean' ? answer : await answer.catch(() => false);
  };
  const watchers = new Set<ServerWritableStream<Buffer, Buffer>>();
  const statusOf = (asked: string) => (asked !== '' && asked !== service ? SERVICE_UNKNOWN : serving && ready ? SERVING : NOT_SERVING);
  const told = new WeakMap<ServerWritableStream<Buffer, Buffer>, number>();
  let timer: NodeJS.Timeout | undefined;
  void refresh();

  const notify = () => {
    for (const call of watchers) {
      const now = statusOf(serviceName(call.request) ?? '');
      if (told.get(call) === now) continue;
      told.set(call, now);
      call.write(response(now));
    }
  };
  const watchTimer = () => {
    if (watchers.size === 0 || !serving) {
      clearInterval(timer);
      timer = undefined;
    } else {
      timer ??= setInterval(() => void refresh().then(notify), WATCH_REFRESH_MS).unref();
    }
  };

  const check: handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const asked = serviceName(call.request);
    if (asked === null) callback({ code: Status.INVALID_ARGUMENT, details: 'malformed HealthCheckRequest' });
    else if (statusOf(asked) === SERVICE_UNKNOWN) callback({ code: Status.NOT_FOUND, details: `unknown service ${asked}` });
    else void refresh().then(() => {
      notify();
      callback(null, response(statusOf(asked)));
    });
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
    watchTimer();
    void refresh().then(notify);
    call.on('cancelled', () => {
      watchers.delete(call);
      watchTimer();
    });
  };

  const list: handleUnaryCall<Buffer, Buffer> = (_call, callback) => {
    void refresh().then(() => {
      const status = { status: statusOf('') };
      callback(null, Buffer.from(HealthListResponse.encode({ statuses: { '': status, [service]: status } }).finish()));
    });
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
      void refresh().then(notify);
    },
    shutdown() {
      if (!serving) return;
      serving = false;
      clearInterval(timer);
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
