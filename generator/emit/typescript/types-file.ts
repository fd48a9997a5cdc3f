// generated/types.ts: one interface per record and one string union (plus its values) per enum.
import type { EnumTypeModel, MeshModel, RecordTypeModel } from '../../model/types.js';
import { compare } from '../../model/order.js';
import { WIDTH, jsdoc, joinBlocks, propertyName, quote } from './code.js';
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
  const valuesHead = `export const ${type.name}Values = [`;
  const valuesFlat = `${valuesHead}${literals.join(', ')}] as const;`;
  const values =
    valuesFlat.length <= WIDTH ? valuesFlat : `${valuesHead}\n${literals.map((l) => `  ${l},\n`).join('')}] as const;`;
  const valuesDoc = jsdoc(`Every value of \`${type.name}\`, in spec order.`);
  return `${jsdoc(type.description)}${union}\n${valuesDoc}${values}\n`;
}

export function typesFile(model: MeshModel): string {
  const types = [...model.types].sort((a, b) => compare(a.name, b.name));
  return joinBlocks(types.map((t) => (t.kind === 'record' ? recordDecl(t) : enumDecl(t))));
}
