// The container emitter: the Dockerfile that builds one image for every workload and its ignore file.
// Regenerated like generated/k8s (not created once like hooks): it encodes meshspec's build contract
// (the `meshspec build` command, the build/ layout, the entry's path), which moves with meshspec's
// version, and `generate --check` then catches a stale copy. A project that needs another image copies it.
import { outputFiles } from '../../naming/index.js';
import type { Emitter } from '../types.js';
import { dockerfile } from './dockerfile.js';
import { dockerignore } from './dockerignore.js';

/**
 * generated/Dockerfile and generated/Dockerfile.dockerignore.
 *
 * @param model the mesh
 * @param options the project's layout (the folders the build copies, the entry's path)
 * @example emitDocker(shop, { layout: defaultLayout }).map((f) => f.path) // ['Dockerfile', 'Dockerfile.dockerignore']
 */
export const emitDocker: Emitter = (model, options) => [
  { path: outputFiles.dockerfile, content: dockerfile(model, options.layout), sources: [...model.files] },
  { path: outputFiles.dockerignore, content: dockerignore(options.layout), sources: [model.meshFile] },
];
