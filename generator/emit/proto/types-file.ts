// The proto file of the mesh-level (shared) types the rpcs reach, imported by the service files that use them.
import type { MeshModel, TypeModel } from '../../model/types.js';
import { outputFiles, typesPackage } from '../../naming/index.js';
import type { EmittedFile } from '../types.js';
import { protoFile } from './file.js';
import { enumBlock, messageBlock } from './messages.js';
import { createScope } from './scope.js';

/** Null when no rpc reaches a mesh-level type. */
export function typesProto(model: MeshModel, reached: readonly TypeModel[]): EmittedFile | null {
  const shared = reached.filter((t) => t.owner === null);
  if (shared.length === 0) return null;
  const scope = createScope(model, null);
  const blocks = shared.map((t) => (t.kind === 'enum' ? enumBlock(t) : messageBlock(t, scope)));
  return {
    path: outputFiles.typesProto(model.name),
    content: protoFile(model.name, typesPackage(model.name), scope, blocks),
    sources: [model.meshFile],
  };
}
