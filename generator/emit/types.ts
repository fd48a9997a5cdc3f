// The signature every emitter has: a pure function of the model (and the project's layout) to files.
import type { MeshModel } from '../model/types.js';

/** One output file of an emitter: path relative to the output folder, with `/`. */
export interface EmittedFile {
  path: string;
  content: string;
  /** Spec files (relative to spec folder) this file was derived from; named in its header. */
  sources: string[];
}

export interface EmitOptions {
  /** Import path of the hooks folder as seen from the output folder, e.g. `../hooks`. */
  hooksImport: string;
}

export type Emitter = (model: MeshModel, options: EmitOptions) => EmittedFile[];
