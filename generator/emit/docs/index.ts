// Documentation emitted beside the code: generated/docs/: the mesh's topology (always), its events
// and its sagas (each written only when the mesh has any), linked to one another.
import { outputFiles } from '../../naming/index.js';
import type { EmittedFile, Emitter } from '../types.js';
import { eventsDoc } from './events-doc.js';
import { meshSagas, sagasDoc } from './sagas-doc.js';
import { topologyDoc } from './topology-doc.js';

/**
 * The docs emitter: `generated/docs/topology.md`, `generated/docs/events.md` when the mesh has events,
 * and `generated/docs/sagas.md` when it has sagas; sorted by path.
 *
 * @param model - the mesh
 * @example emitDocs(model, { layout: defaultLayout }).map((f) => f.path) // ['docs/events.md', 'docs/sagas.md', 'docs/topology.md']
 */
export const emitDocs: Emitter = (model) => {
  const everyFile = [model.meshFile, ...model.services.map((s) => s.file)].sort();
  const files: EmittedFile[] = [{ path: outputFiles.topologyDoc, content: topologyDoc(model), sources: everyFile }];
  const events = eventsDoc(model);
  if (events !== null) files.push({ path: outputFiles.eventsDoc, content: events, sources: everyFile });
  const sagas = sagasDoc(model);
  if (sagas !== null) {
    const services = new Set(meshSagas(model).map((s) => s.service));
    const sources = [model.meshFile, ...model.services.filter((s) => services.has(s.name)).map((s) => s.file)];
    files.push({ path: outputFiles.sagasDoc, content: sagas, sources: [...new Set(sources)].sort() });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};
