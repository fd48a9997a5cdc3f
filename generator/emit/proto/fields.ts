// One record field -> one proto field declaration (ARCHITECTURE.md, "Naming rules").
import type { FieldModel, PrimitiveName, TypeRef } from '../../model/types.js';
import { comment } from './comments.js';
import { protoFieldName } from '../../naming/index.js';
import type { ProtoScope } from './scope.js';

const scalars: Record<PrimitiveName, string> = {
  string: 'string',
  integer: 'int64',
  number: 'double',
  boolean: 'bool',
};

/** The field's lines (its description as comments, then the declaration), indented for a message body. */
export function fieldLines(field: FieldModel, scope: ProtoScope, owner: string): string[] {
  const declaration = `${label(field, scope)}${typeName(field.type, scope, owner, field.name)} ${protoFieldName(field.name)} = ${field.number};`;
  return [...comment(field.description, '  '), `  ${declaration}`];
}

/**
 * `optional` only where proto3 would otherwise lose presence: scalars and enums. Messages carry
 * presence already; repeated and map fields cannot be optional.
 */
function label(field: FieldModel, scope: ProtoScope): string {
  const t = field.type;
  if (t.kind === 'array') return 'repeated ';
  if (!field.optional || t.kind === 'map') return '';
  if (t.kind === 'ref' && scope.type(t.name).kind === 'record') return '';
  return 'optional ';
}

function typeName(t: TypeRef, scope: ProtoScope, owner: string, field: string): string {
  switch (t.kind) {
    case 'primitive':
      return scalars[t.name];
    case 'ref':
      return scope.refName(t.name);
    case 'array':
      return elementName(t.items, scope, owner, field, 'an array');
    case 'map':
      return `map<string, ${elementName(t.values, scope, owner, field, 'a map')}>`;
  }
}

/** Protobuf has no repeated-of-repeated, repeated map or map of either: the semantic checks reject them. */
function elementName(t: TypeRef, scope: ProtoScope, owner: string, field: string, container: string): string {
  if (t.kind === 'array' || t.kind === 'map') {
    throw new Error(`proto: field ${owner}.${field} is ${container} of ${t.kind === 'array' ? 'arrays' : 'maps'}, which protobuf cannot express`);
  }
  return typeName(t, scope, owner, field);
}
