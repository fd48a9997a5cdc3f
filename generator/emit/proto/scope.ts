// Resolving a type reference to the name it has inside one proto file, and remembering whether
// that file needs the mesh-level types import (IMPORT_USED: import it only when used).
import { resolveType } from '../../model/lookup.js';
import type { MeshModel, TypeModel } from '../../model/types.js';
import { typesPackage } from '../../naming/index.js';

export interface ProtoScope {
  /** The type a name means in this file's scope (throws for an unknown one). */
  type(name: string): TypeModel;
  /** The name to write for a referenced type inside this file. */
  refName(name: string): string;
  /** True once a mesh-level type was referenced from a service file. */
  readonly usesMeshTypes: boolean;
}

/** Scope of the file holding the types owned by `owner` (a service name, or null for mesh-level). */
export function createScope(model: MeshModel, owner: string | null): ProtoScope {
  let usesMeshTypes = false;
  const type = (name: string): TypeModel => resolveType(model, owner, name);
  return {
    type,
    refName(name) {
      const target = type(name);
      if (target.owner === owner) return name;
      if (target.owner === null) {
        usesMeshTypes = true;
        // Fully qualified with a leading dot: a relative `shop.types.v1.X` would resolve against
        // `shop.shop.v1` first in a service named like its mesh, and fail to compile.
        return `.${typesPackage(model.name)}.${name}`;
      }
      throw new Error(`proto: ${owner ?? 'a mesh-level type'} references ${name}, a type of service ${target.owner}`);
    },
    get usesMeshTypes() {
      return usesMeshTypes;
    },
  };
}
