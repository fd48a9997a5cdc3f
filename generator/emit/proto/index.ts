// Protobuf emitter: buf.yaml, the mesh-level types file and one file per service with a gRPC port.
// Only types an rpc reaches become messages.
import { byKey } from '../../model/order.js';
import type { EmittedFile, Emitter } from '../types.js';
import { bufYaml } from './buf.js';
import { reachableTypes } from './reachable.js';
import { serviceProto } from './service.js';
import { typesProto } from './types-file.js';

export const emitProto: Emitter = (model) => {
  const services = model.services.filter((s) => s.ports.grpc !== null);
  if (services.length === 0) return [];
  const reached = [...reachableTypes(model, services).values()].sort(byKey);
  const types = typesProto(model, reached);
  const files: EmittedFile[] = [bufYaml(model), ...(types ? [types] : []), ...services.map((s) => serviceProto(model, s, reached))];
  const paths = files.map((f) => f.path);
  const twice = paths.find((path, i) => paths.indexOf(path) !== i);
  if (twice) throw new Error(`internal: two proto files would be written to ${twice}`);
  return files;
};
