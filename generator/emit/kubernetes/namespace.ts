// The mesh's namespace.
import type { MeshModel } from '../../model/types.js';
import type { INamespace } from './types.js';

export function namespaceObject(model: MeshModel): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: model.deploy.namespace,
      labels: { 'app.kubernetes.io/part-of': model.name, 'app.kubernetes.io/managed-by': 'meshspec' },
    },
  };
}
