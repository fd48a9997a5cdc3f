// gRPC binding: the server side of a service and the client transport to one.
export { createGrpcServer, type GrpcServer, type GrpcServerOptions } from './server.js';
export { createGrpcTransport, type GrpcTransportOptions } from './client.js';
export { createGrpcCodec, type EndpointCodec, type GrpcCodec } from './codec.js';
export { grpcStatusFor } from './status.js';
