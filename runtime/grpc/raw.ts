// grpc-js moves bytes; meshspec encodes and decodes messages itself (codec.ts), inside the handler
// or call, where a failure can become a proper status instead of a transport error.

/** The serializer and deserializer of a bytes-in, bytes-out method. */
export function passBytes(bytes: Buffer): Buffer {
  return bytes;
}

/** A unary method definition that hands grpc-js raw bytes both ways. */
export function rawUnaryMethod(path: string) {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: passBytes,
    requestDeserialize: passBytes,
    responseSerialize: passBytes,
    responseDeserialize: passBytes,
  } as const;
}

/** A server-streaming method definition that hands grpc-js raw bytes both ways. */
export function rawServerStreamingMethod(path: string) {
  return { ...rawUnaryMethod(path), responseStream: true } as const;
}
