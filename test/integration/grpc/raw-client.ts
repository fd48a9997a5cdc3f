// A bare grpc-js client that sends raw bytes, to see exactly what the server puts on the wire.
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

export interface RawResult {
  error: ServiceError | null;
  response: Buffer | null;
}

export function rawCall(address: string, path: string, request: Buffer, metadata = new Metadata()): Promise<RawResult> {
  const client = new Client(address, credentials.createInsecure());
  const same = (b: Buffer) => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, same, same, request, metadata, (error, response) => {
      client.close();
      resolve({ error, response: response ?? null });
    });
  });
}
