// buf.yaml (v2) at the proto root: one module, the STANDARD lint rules without exceptions.
import type { EmittedFile, MeshModel } from '../../model/types.js';

export function bufYaml(model: MeshModel): EmittedFile {
  const content = ['version: v2', 'modules:', '  - path: .', 'lint:', '  use:', '    - STANDARD', ''].join('\n');
  return { path: 'proto/buf.yaml', content, sources: [model.meshFile] };
}
