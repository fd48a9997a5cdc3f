// generated/schemas.ts: every type of the mesh as one JSON Schema document, for runtime validation.
// Types are keyed `Item` (mesh-level) and `orders.Item` (a service's own).
import { keyOf, resolveType } from '../../model/lookup.js';
import type { MeshModel } from '../../model/types.js';
import { byKey } from '../../model/order.js';
import { typeToJsonSchema } from '../json-schema.js';
import { importBlock, jsdoc, joinBlocks, jsonLiteral, printLiteral } from './code.js';

/** Prefix of a reference to another type inside this document. */
const REF_PREFIX = '#/$defs/';

export function schemasFile(model: MeshModel): string {
  const types = [...model.types].sort(byKey);
  const registry = {
    $id: `meshspec:${model.name}`,
    $defs: Object.fromEntries(
      types.map((t) => [keyOf(t), jsonLiteral(typeToJsonSchema(t, (name) => REF_PREFIX + keyOf(resolveType(model, t.owner, name))))]),
    ),
  };
  const imports = importBlock([{ names: ['SchemaRegistry'], from: 'meshspec/runtime', typeOnly: true }]);
  const body =
    jsdoc(`JSON Schemas of every type of the ${model.name} mesh; references are \`${REF_PREFIX}<Type>\` or \`${REF_PREFIX}<service>.<Type>\`.`) +
    `export const schemas = ${printLiteral(registry, 0, 0, true)} as const satisfies SchemaRegistry;\n`;
  return joinBlocks([imports, body]);
}
