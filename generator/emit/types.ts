// The signature every emitter has: a pure function of the model (and the project's layout) to files.
import type { MeshModel } from '../model/types.js';
import type { ProjectLayout } from '../naming/index.js';

/** One output file of an emitter: path relative to the output folder, with `/`. */
export interface EmittedFile {
  path: string;
  content: string;
  /** Spec files (relative to spec folder) this file was derived from; named in its header. */
  sources: string[];
}

export interface EmitOptions {
  /**
   * The output and hooks folders, relative to the project root: every path an emitter writes into a
   * file (an entry point, a hook module, a doc comment naming a hook file) comes from it.
   */
  layout: ProjectLayout;
}

export type Emitter = (model: MeshModel, options: EmitOptions) => EmittedFile[];
