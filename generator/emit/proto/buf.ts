// buf.yaml (v2) at the proto root: one module, the STANDARD lint rules without exceptions.
import type { MeshModel } from '../../model/types.js';
import { outputFiles } from '../../naming/index.js';
import type { EmittedFile } from '../types.js';

export function bufYaml(model: MeshModel): EmittedFile {
  const content = ['version: v2', 'modules:', '  - path: .', 'lint:', '  use:', '    - STANDARD', ''].join('\n');
  return { path: outputFiles.bufYaml, content, sources: [model.meshFile] };
}
