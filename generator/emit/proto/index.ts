// Protobuf emitter: buf.yaml, the mesh-level types file and one file per service with a gRPC port.
import type { EmittedFile } from '../../model/types.js';
import type { Emitter } from '../types.js';
import { bufYaml } from './buf.js';
import { serviceProto } from './service.js';
import { typesProto } from './types-file.js';

export const emitProto: Emitter = (model) => {
  const types = typesProto(model);
  const services = model.services.filter((s) => s.ports.grpc !== null);
  const files: EmittedFile[] = [...(types ? [types] : []), ...services.map((s) => serviceProto(model, s))];
  const clash = types && files.find((f) => f !== types && f.path === types.path);
  if (clash) throw new Error(`proto: a service named "types" would share ${types.path} with the mesh-level types`);
  return files.length === 0 ? [] : [bufYaml(model), ...files];
};
