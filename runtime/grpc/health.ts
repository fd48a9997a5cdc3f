// The standard gRPC health check (grpc.health.v1.Health/Check), so gRPC-native probes and load
// balancers can ask. Two tiny messages, coded by hand rather than loading another proto. A server
// that answers at all is serving: once shutdown starts, it takes no new calls.
import { status as Status, type handleUnaryCall, type MethodDefinition, type Server } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { rawUnaryMethod } from './raw.js';

const SERVING = 1;

/** Answers for `''` (the whole server) and `service` (the fully qualified proto service name). */
export function addHealthService(server: Server, service: string): void {
  const check: MethodDefinition<Buffer, Buffer> = rawUnaryMethod('/grpc.health.v1.Health/Check');
  const handler: handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    let asked: string;
    try {
      asked = serviceName(call.request);
    } catch {
      callback({ code: Status.INVALID_ARGUMENT, details: 'malformed HealthCheckRequest' });
      return;
    }
    if (asked !== '' && asked !== service) callback({ code: Status.NOT_FOUND, details: `unknown service ${asked}` });
    else callback(null, statusMessage(SERVING));
  };
  server.addService({ Check: check }, { Check: handler });
}

/** `HealthCheckRequest.service` (field 1, length-delimited). */
function serviceName(bytes: Buffer): string {
  const reader = protobuf.Reader.create(bytes);
  let name = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | 2)) name = reader.string();
    else reader.skipType(tag & 7);
  }
  return name;
}

/** `HealthCheckResponse { status = 1 }` (field 1, varint). */
function statusMessage(status: number): Buffer {
  return Buffer.from(protobuf.Writer.create().uint32((1 << 3) | 0).int32(status).finish());
}
