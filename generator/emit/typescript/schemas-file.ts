// generated/schemas.ts: every type of the mesh as one JSON Schema document, for runtime validation.
import type { MeshModel } from '../../model/types.js';
import { typeToJsonSchema } from '../json-schema.js';
import { compare } from '../../model/order.js';
import { importBlock, jsdoc, joinBlocks, jsonLiteral, printLiteral } from './code.js';

/** Prefix of a reference to another type inside this document. */
const REF_PREFIX = '#/$defs/';

export function schemasFile(model: MeshModel): string {
  const types = [...model.types].sort((a, b) => compare(a.name, b.name));
  const registry = {
    $id: `meshspec:${model.name}`,
    $defs: Object.fromEntries(types.map((t) => [t.name, jsonLiteral(typeToJsonSchema(t, REF_PREFIX))])),
  };
  const imports = importBlock([{ names: ['SchemaRegistry'], from: 'meshspec/runtime', typeOnly: true }]);
  const body =
    jsdoc(`JSON Schemas of every type of the ${model.name} mesh; references are \`${REF_PREFIX}<Type>\`.`) +
    `export const schemas = ${printLiteral(registry, 0, 0, true)} as const satisfies SchemaRegistry;\n`;
  return joinBlocks([imports, body]);
}
