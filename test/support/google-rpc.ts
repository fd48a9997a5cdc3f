// Decodes `grpc-status-details-bin` the way any gRPC client does: with the official google.rpc
// definitions (the google-proto-files package), not with anything from the runtime that encoded it.
import type { Metadata } from '@grpc/grpc-js';
import { getProtoPath } from 'google-proto-files';
import protobuf from 'protobufjs';

const root = protobuf.loadSync([getProtoPath('rpc', 'status.proto'), getProtoPath('rpc', 'error_details.proto')]);
root.resolveAll();
const Status = root.lookupType('google.rpc.Status');
const conversion = { longs: Number, enums: String, defaults: false, arrays: true, objects: true };

export interface DecodedStatus {
  code: number;
  message: string;
  /** Each detail as `{ '@type': type name, ...fields }` (JSON names, as the official definitions spell them). */
  details: Record<string, unknown>[];
}

/** The google.rpc.Status in a failed call's trailers; throws when there is none. */
export function statusDetailsOf(metadata: Metadata | undefined): DecodedStatus {
  const [bytes] = metadata?.get('grpc-status-details-bin') ?? [];
  if (!Buffer.isBuffer(bytes)) throw new Error('no grpc-status-details-bin trailer');
  return decodeStatus(bytes);
}

export function decodeStatus(bytes: Uint8Array): DecodedStatus {
  const status = Status.toObject(Status.decode(bytes), conversion) as { code?: number; message?: string; details: { type_url: string; value: Uint8Array }[] };
  return {
    code: status.code ?? 0,
    message: status.message ?? '',
    // protobufjs keeps the well-known Any's own field names (type_url).
    details: status.details.map((any) => decodeAny(any.type_url, any.value)),
  };
}

/** An Any's value by its type URL (`type.googleapis.com/google.rpc.ErrorInfo`). */
export function decodeAny(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  const type = root.lookupType(name);
  return { '@type': name, ...type.toObject(type.decode(value), conversion) };
}
