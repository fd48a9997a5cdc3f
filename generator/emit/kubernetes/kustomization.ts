// The base's kustomization.yaml: every manifest file of `k8s/base/`, which the overlays build on.
import type { MeshModel } from '../../model/types.js';

export interface Kustomization {
  apiVersion: 'kustomize.config.k8s.io/v1beta1';
  kind: 'Kustomization';
  namespace: string;
  resources: string[];
}

export function kustomizationObject(model: MeshModel, files: readonly string[]): Kustomization {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: model.deploy.namespace,
    resources: [...files].sort(),
  };
}
