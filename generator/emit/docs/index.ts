// Documentation emitted beside the code: generated/docs/: the mesh's topology (always) and its sagas
// (written only when the mesh has any).
import { outputFiles } from '../../naming/index.js';
import type { Emitter } from '../types.js';
import { meshSagas, sagasDoc } from './sagas-doc.js';
import { topologyDoc } from './topology-doc.js';

/**
 * The docs emitter: `generated/docs/topology.md`, and `generated/docs/sagas.md` when the mesh has sagas.
 *
 * @param model - the mesh
 * @example emitDocs(model, { layout: defaultLayout }).map((f) => f.path) // ['docs/sagas.md', 'docs/topology.md']
 */
export const emitDocs: Emitter = (model) => {
  const topology = { path: outputFiles.topologyDoc, content: topologyDoc(model), sources: [model.meshFile, ...model.services.map((s) => s.file)].sort() };
  const content = sagasDoc(model);
  if (content === null) return [topology];
  const services = new Set(meshSagas(model).map((s) => s.service));
  const sources = [model.meshFile, ...model.services.filter((s) => services.has(s.name)).map((s) => s.file)];
  return [{ path: outputFiles.sagasDoc, content, sources: [...new Set(sources)].sort() }, topology];
};
