// The recommended `app.kubernetes.io/*` labels. Selectors use only the two that never change for
// a workload (name and mesh): a Deployment's selector is immutable, so it must not hold the version.
import type { MeshModel } from '../../model/types.js';

export function selectorLabels(model: MeshModel, name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': model.name,
  };
}

export function commonLabels(model: MeshModel, name: string): Record<string, string> {
  return {
    ...selectorLabels(model, name),
    'app.kubernetes.io/version': labelValue(model.version),
    'app.kubernetes.io/managed-by': 'meshspec',
  };
}

/** Metadata of an object that belongs to workload `workload` (named `name`, default the workload's). */
export function objectMeta(model: MeshModel, workload: string, name: string = workload) {
  return { name, namespace: model.deploy.namespace, labels: commonLabels(model, workload) };
}

/**
 * A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric.
 * A version like `1.0.0+build.5` becomes `1.0.0-build.5`.
 */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
