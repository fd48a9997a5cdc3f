// Documentation emitted beside the code: generated/docs/. For now the sagas (issue #12), written only
// when the mesh has any, so a mesh without sagas gets no docs folder.
import { outputFiles } from '../../naming/index.js';
import type { Emitter } from '../types.js';
import { meshSagas, sagasDoc } from './sagas-doc.js';

/**
 * The docs emitter: `generated/docs/sagas.md` when the mesh has sagas, nothing otherwise.
 *
 * @param model - the mesh
 * @example emitDocs(model, { layout: defaultLayout }).map((f) => f.path) // ['docs/sagas.md']
 */
export const emitDocs: Emitter = (model) => {
  const content = sagasDoc(model);
  if (content === null) return [];
  const services = new Set(meshSagas(model).map((s) => s.service));
  const sources = [model.meshFile, ...model.services.filter((s) => services.has(s.name)).map((s) => s.file)];
  return [{ path: outputFiles.sagasDoc, content, sources: [...new Set(sources)].sort() }];
};
