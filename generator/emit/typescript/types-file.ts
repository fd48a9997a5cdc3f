// generated/types.ts (the mesh-level types) and generated/<svc>/types.ts (a service's own): one
// interface per record and one string union (plus its values) per enum.
import { resolveType } from '../../model/lookup.js';
import type { EnumTypeModel, MeshModel, RecordTypeModel, TypeModel, TypeRef } from '../../model/types.js';
import { byKey } from '../../model/order.js';
import { enumValuesName } from '../../naming/index.js';
import { WIDTH, importBlock, jsdoc, joinBlocks, propertyName, quote } from './code.js';
import { typeExpr } from './type-expr.js';

function recordDecl(type: RecordTypeModel): string {
  const members = type.fields.map(
    (f) => `${jsdoc(f.description, 2)}  ${propertyName(f.name)}${f.optional ? '?' : ''}: ${typeExpr(f.type)};\n`,
  );
  const body = members.length === 0 ? '{}' : `{\n${members.join('')}}`;
  return `${jsdoc(type.description)}export interface ${type.name} ${body}\n`;
}

function enumDecl(type: EnumTypeModel): string {
  const literals = type.values.map(quote);
  const head = `export type ${type.name} =`;
  const flat = `${head} ${literals.join(' | ')};`;
  const union = flat.length <= WIDTH ? flat : `${head}\n${literals.map((l) => `  | ${l}`).join('\n')};`;
  const valuesHead = `export const ${enumValuesName(type.name)} = [`;
  const valuesFlat = `${valuesHead}${literals.join(', ')}] as const;`;
  const values =
    valuesFlat.length <= WIDTH ? valuesFlat : `${valuesHead}\n${literals.map((l) => `  ${l},\n`).join('')}] as const;`;
  const valuesDoc = jsdoc(`Every value of \`${type.name}\`, in spec order.`);
  return `${jsdoc(type.description)}${union}\n${valuesDoc}${values}\n`;
}

/** The types of `owner` (a service, or null for the mesh-level file). */
export function typesFile(model: MeshModel, owner: string | null): string {
  const types = model.types.filter((t) => t.owner === owner).sort(byKey);
  if (types.length === 0) {
    const whose = owner === null ? 'the mesh declares no mesh-level types' : `${owner} declares no types of its own`;
    return `// ${whose}: this module only keeps the layout uniform.\nexport {};\n`;
  }
  // A service's types may use mesh-level ones, imported from the mesh-level file.
  const shared = owner === null ? [] : [...new Set(types.flatMap((t) => referenced(model, t)))].filter((name) => resolveType(model, owner, name).owner === null);
  const imports = importBlock([{ names: shared, from: '../types.js', typeOnly: true }]);
  return joinBlocks([imports, ...types.map((t) => (t.kind === 'record' ? recordDecl(t) : enumDecl(t)))]);
}

function referenced(model: MeshModel, type: TypeModel): string[] {
  if (type.kind === 'enum') return [];
  const names: string[] = [];
  const walk = (ref: TypeRef): void => {
    if (ref.kind === 'ref') names.push(ref.name);
    else if (ref.kind === 'array') walk(ref.items);
    else if (ref.kind === 'map') walk(ref.values);
  };
  for (const field of type.fields) walk(field.type);
  return names;
}
