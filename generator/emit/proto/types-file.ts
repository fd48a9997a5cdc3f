// The proto file of the mesh-level (shared) types, imported by the service files that use them.
import type { EmittedFile, MeshModel } from '../../model/types.js';
import { protoFile } from './file.js';
import { enumBlock, messageBlock } from './messages.js';
import { typesPackage, typesProtoFile } from './names.js';
import { createScope } from './scope.js';

/** Null when the mesh declares no mesh-level types. */
export function typesProto(model: MeshModel): EmittedFile | null {
  const shared = model.types.filter((t) => t.owner === null);
  if (shared.length === 0) return null;
  const scope = createScope(model, null);
  const blocks = shared.map((t) => (t.kind === 'enum' ? enumBlock(t) : messageBlock(t, scope)));
  return {
    path: `proto/${typesProtoFile(model.name)}`,
    content: protoFile(model.name, typesPackage(model.name), scope, blocks),
    sources: [...new Set([model.meshFile, ...shared.map((t) => t.source.file)])].sort(),
  };
}
