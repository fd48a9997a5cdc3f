// The documents of generated/docs/ read as one set: each names the others the mesh has, under its title.
import type { MeshModel } from '../../model/types.js';
import { sagasOf } from '../../model/lookup.js';

/** The documents of generated/docs/, by the name the links use. */
export type DocName = 'topology' | 'events' | 'sagas';

const TITLES: Record<DocName, string> = { topology: 'the topology', events: 'the events', sagas: 'the sagas' };

/**
 * The documents the mesh has: the topology always, the events when it has any, the sagas when it has any.
 *
 * @param model - the mesh
 * @example meshDocs(model) // ['topology', 'events', 'sagas']
 */
export function meshDocs(model: MeshModel): DocName[] {
  return [
    'topology' as const,
    ...(model.events.length > 0 ? (['events'] as const) : []),
    ...(model.services.some((s) => sagasOf(s).length > 0) ? (['sagas'] as const) : []),
  ];
}

/**
 * The line under a document's title that links the mesh's other documents (relative links: they
 * sit side by side), or an empty list when it has none.
 *
 * @param model - the mesh
 * @param self - the document the line goes into
 * @example docLinks(model, 'events') // ['Also drawn: [the topology](topology.md), [the sagas](sagas.md).', '']
 */
export function docLinks(model: MeshModel, self: DocName): string[] {
  const others = meshDocs(model).filter((d) => d !== self);
  if (others.length === 0) return [];
  return [`Also drawn: ${others.map((d) => `[${TITLES[d]}](${d}.md)`).join(', ')}.`, ''];
}
