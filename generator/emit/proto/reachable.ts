// The types a set of proto files needs: those the rpc messages refer to, and what they refer to in
// turn. A type nothing refers to gets no message (events travel as JSON, not protobuf).
import { keyOf, resolveType } from '../../model/lookup.js';
import type { MeshModel, ServiceModel, TypeModel, TypeRef } from '../../model/types.js';
import { rpcShapes } from './rpc.js';

/** Every type the rpcs of `services` reach, by key; each appears once. */
export function reachableTypes(model: MeshModel, services: readonly ServiceModel[]): Map<string, TypeModel> {
  const found = new Map<string, TypeModel>();
  const visit = (scope: string | null, name: string) => {
    const type = resolveType(model, scope, name);
    const key = keyOf(type);
    if (found.has(key)) return;
    found.set(key, type);
    if (type.kind === 'record') for (const field of type.fields) refs(field.type).forEach((n) => visit(type.owner, n));
  };
  for (const service of services) {
    for (const shape of rpcShapes(model, service)) {
      for (const field of [...shape.request.fields, ...shape.response.fields]) refs(field.type).forEach((n) => visit(service.name, n));
    }
  }
  return found;
}

function refs(ref: TypeRef): string[] {
  switch (ref.kind) {
    case 'primitive':
      return [];
    case 'ref':
      return [ref.name];
    case 'array':
      return refs(ref.items);
    case 'map':
      return refs(ref.values);
  }
}
