// gRPC server reflection (grpc.reflection.v1 and v1alpha, the official @grpc/reflection service),
// so grpcurl, buf curl and gRPC UIs can call the service and decode its error details without the
// .proto files: it describes the service's proto (and the types it imports), the health service
// and the google.rpc error details.
import { fromJSON, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { Server } from '@grpc/grpc-js';
import type { ProtoDescriptor } from '../service/definition.js';
import { withValidFileDescriptors } from './reflection-descriptors.js';
import { standardProtos } from './standard-protos.js';

export function addReflectionService(server: Server, proto: ProtoDescriptor): void {
  const options = { keepCase: true, includeDirs: [proto.root] };
  const definitions = withValidFileDescriptors({ ...fromJSON(standardProtos, options), ...loadSync(proto.file, options) });
  new ReflectionService(definitions).addToServer(server);
}
