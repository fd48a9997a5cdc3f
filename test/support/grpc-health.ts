// A client of the standard gRPC health service (grpc.health.v1.Health), built from the official
// grpc-health-check package's definition as probes and balancers use it.
import { credentials, makeGenericClientConstructor, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

/** A client of grpc.health.v1.Health built from the official package's definition, as probes use it. */
export function healthClient(address: string): HealthClient {
  const Client = makeGenericClientConstructor(healthService, 'Health');
  return new Client(address, credentials.createInsecure()) as unknown as HealthClient;
}

export interface HealthClient {
  Check(request: { service: string }, callback: (err: ServiceError | null, response?: { status: string }) => void): void;
  Watch(request: { service: string }): ClientReadableStream<{ status: string }>;
  List(request: object, callback: (err: ServiceError | null, response?: { statuses: Record<string, { status: string }> }) => void): void;
  close(): void;
}

export function check(client: HealthClient, service: string): Promise<{ status?: string; code?: number }> {
  return new Promise((resolve) => client.Check({ service }, (err, response) => resolve(err ? { code: err.code } : { status: response!.status })));
}

/** Collects a Watch stream's messages; `ended` resolves with the final status code. */
export function watch(client: HealthClient, service: string) {
  const seen: string[] = [];
  const stream = client.Watch({ service });
  stream.on('data', (message: { status: string }) => seen.push(message.status));
  const ended = new Promise<number>((resolve) => {
    stream.on('status', (s: { code: number }) => resolve(s.code));
    stream.on('error', () => undefined);
  });
  return { seen, ended, stream };
}
