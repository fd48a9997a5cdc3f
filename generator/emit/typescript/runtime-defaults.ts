// The mesh's `runtime:` section as the literal main.ts and stack.ts hand to the runtime.
import type { MeshModel } from '../../model/types.js';
import { type Literal } from './code.js';

export function runtimeDefaults(model: MeshModel): Literal {
  return { bodyLimitBytes: model.runtime.bodyLimitBytes, shutdownGraceMs: model.runtime.shutdownGraceMs };
}
