// generated/schemas.ts: every type of the mesh as one JSON Schema document, for runtime validation.
// Types are keyed `Item` (mesh-level) and `orders.Item` (a service's own).
import type { MeshModel } from '../../model/types.js';
import { REGISTRY_REF_PREFIX, schemaRegistry } from '../../model/json-schema.js';
import { importBlock, jsdoc, joinBlocks, jsonLiteral, printLiteral } from './code.js';

export function schemasFile(model: MeshModel): string {
  const { $id, $defs } = schemaRegistry(model);
  const registry = { $id, $defs: Object.fromEntries(Object.entries($defs).map(([key, schema]) => [key, jsonLiteral(schema)])) };
  const imports = importBlock([{ names: ['SchemaRegistry'], from: 'meshspec/runtime', typeOnly: true }]);
  const body =
    jsdoc(`JSON Schemas of every type of the ${model.name} mesh; references are \`${REGISTRY_REF_PREFIX}<Type>\` or \`${REGISTRY_REF_PREFIX}<service>.<Type>\`.`) +
    `export const schemas = ${printLiteral(registry, 0, 0, true)} as const satisfies SchemaRegistry;\n`;
  return joinBlocks([imports, body]);
}
