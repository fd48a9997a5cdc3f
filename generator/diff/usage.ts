// Which way each type travels: in an endpoint's input (clients send it), in an output (clients parse
// it), in an event payload (subscribers parse it, and events already queued were written with the
// old shape). A change is judged by every direction a type travels in, the strictest winning.
import { keyOf, resolveType } from '../model/lookup.js';
import type { MeshModel, TypeModel, TypeRef } from '../model/types.js';

export interface TypeUse {
  input: boolean;
  output: boolean;
  /** Events whose payload holds the type, sorted. */
  events: string[];
  /** Fields filled from the URL in an endpoint that takes the type as input (renaming one keeps the URL). */
  pathParams: string[];
}

export const unused: TypeUse = { input: false, output: false, events: [], pathParams: [] };

/** Every type's use in a model, by type key. */
export function typeUses(model: MeshModel): Map<string, TypeUse> {
  const uses = new Map<string, TypeUse>();
  const mark = (scope: string | null, name: string, apply: (use: TypeUse) => void) => {
    const seen = new Set<string>();
    const visit = (type: TypeModel) => {
      const key = keyOf(type);
      if (seen.has(key)) return;
      seen.add(key);
      const use = uses.get(key) ?? { ...unused, events: [], pathParams: [] };
      apply(use);
      uses.set(key, use);
      if (type.kind === 'record') for (const field of type.fields) refsOf(field.type).forEach((ref) => visit(resolveType(model, type.owner, ref)));
    };
    visit(resolveType(model, scope, name));
  };
  const pathParamSets = new Map<string, string[][]>();
  for (const service of model.services) {
    for (const endpoint of service.endpoints) {
      mark(service.name, endpoint.input, (use) => (use.input = true));
      const inputKey = keyOf(resolveType(model, service.name, endpoint.input));
      pathParamSets.set(inputKey, [...(pathParamSets.get(inputKey) ?? []), endpoint.http.pathParams]);
      if (endpoint.output) mark(service.name, endpoint.output.type, (use) => (use.output = true));
    }
  }
  for (const event of model.events) {
    mark(event.payloadScope ?? null, event.payload, (use) => (use.events = [...new Set([...use.events, event.name])].sort()));
  }
  for (const [key, sets] of pathParamSets) {
    const use = uses.get(key)!;
    use.pathParams = sets.reduce((common, params) => common.filter((p) => params.includes(p)));
  }
  return uses;
}

/** The use of a type in either spec: a change must be safe for the old clients and the new ones. */
export function mergeUses(a: TypeUse | undefined, b: TypeUse | undefined): TypeUse {
  if (!a) return b ?? unused;
  if (!b) return a;
  return {
    input: a.input || b.input,
    output: a.output || b.output,
    events: [...new Set([...a.events, ...b.events])].sort(),
    pathParams: [...new Set([...a.pathParams, ...b.pathParams])].sort(),
  };
}

/** The named types a field's type refers to. */
export function refsOf(type: TypeRef): string[] {
  if (type.kind === 'ref') return [type.name];
  if (type.kind === 'array') return refsOf(type.items);
  if (type.kind === 'map') return refsOf(type.values);
  return [];
}

/** `input, output and event `user.created``: where a type travels, for messages. */
export function describeUse(use: TypeUse): string {
  const parts = [...(use.input ? ['inputs'] : []), ...(use.output ? ['outputs'] : []), ...use.events.map((e) => `event \`${e}\``)];
  if (parts.length === 0) return 'no endpoint or event';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
