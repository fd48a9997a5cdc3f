// The signature every emitter has: a pure function of the model (and a few layout options) to files.
import type { EmittedFile, MeshModel } from '../model/types.js';

export interface EmitOptions {
  /** Import path of the hooks folder as seen from the output folder, e.g. `../hooks`. */
  hooksImport: string;
}

export type Emitter = (model: MeshModel, options: EmitOptions) => EmittedFile[];
