// `<name>-config`: the workload's plain environment, loaded whole through `envFrom`.
import type { MeshModel } from '../../model/types.js';
import { objectMeta } from './labels.js';
import type { IConfigMap, Workload } from './types.js';

export function configMapName(workload: Workload): string {
  return `${workload.name}-config`;
}

export function configMapObject(model: MeshModel, workload: Workload): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(model, workload.name, configMapName(workload)),

    data: { ...workload.config },
  };
}
