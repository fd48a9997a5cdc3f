// A spec type reference as a TypeScript type expression.
import type { PrimitiveName, TypeRef } from '../../model/types.js';

const PRIMITIVES: Record<PrimitiveName, string> = {
  string: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
};

export function typeExpr(ref: TypeRef): string {
  switch (ref.kind) {
    case 'primitive':
      return PRIMITIVES[ref.name];
    case 'ref':
      return ref.name;
    case 'array':
      return `${typeExpr(ref.items)}[]`;
    case 'map':
      return `Record<string, ${typeExpr(ref.values)}>`;
  }
}
