// generated/events.ts: the mesh's event name -> payload interface and the runtime's event catalog.
import type { EventModel, MeshModel } from '../../model/types.js';
import { compare } from '../../model/order.js';
import { importBlock, jsdoc, joinBlocks, printLiteral, propertyName } from './code.js';
import { meshEventsName, typeKey } from '../../naming/index.js';

export function eventsFile(model: MeshModel): string {
  const events = [...model.events].sort((a, b) => compare(a.name, b.name));
  const imports = importBlock([
    { names: ['EventCatalog'], from: 'meshspec/runtime', typeOnly: true },
    { names: events.filter((e) => e.payloadScope === undefined).map((e) => e.payload), from: './types.js', typeOnly: true },
    // A saga's payloads are its service's (synthesized, named after the saga: unique in the mesh).
    ...[...new Set(events.flatMap((e) => (e.payloadScope === undefined ? [] : [e.payloadScope])))].sort(compare).map((scope) => ({
      names: events.filter((e) => e.payloadScope === scope).map((e) => e.payload),
      from: `./${scope}/types.js`,
      typeOnly: true,
    })),
  ]);
  const members = events.map((e) => `${jsdoc(e.description, 2)}  ${propertyName(e.name)}: ${e.payload};\n`);
  const eventsInterface =
    jsdoc(`Every event of the ${model.name} mesh, by name, with its payload type.`) +
    `export interface ${meshEventsName(model.name)} ${members.length === 0 ? '{}' : `{\n${members.join('')}}`}\n`;
  // Older versions still accepted: their payload types, mesh-level (the key of their schema).
  const accepted = (e: EventModel) => (e.accepts.length === 0 ? {} : { accepts: Object.fromEntries(e.accepts.map((a) => [a.version, typeKey(null, a.payload)])) });
  const catalog = Object.fromEntries(events.map((e) => [e.name, { payload: typeKey(e.payloadScope ?? null, e.payload), version: e.version, ...accepted(e) }]));
  const catalogConst =
    jsdoc('Payload type (a key of the schemas) and version of every event, for validation and envelopes.') +
    `export const events = ${printLiteral(catalog, 0, 0, true)} as const satisfies EventCatalog;\n`;
  return joinBlocks([imports, eventsInterface, catalogConst]);
}
