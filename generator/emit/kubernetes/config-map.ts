// `<name>-config`: the workload's plain environment, loaded whole through `envFrom`.
import type { MeshModel } from '../../model/types.js';
import { configMapName } from '../../naming/index.js';
import { objectMeta } from './labels.js';
import type { IConfigMap, Workload } from './types.js';

export function configMapObject(model: MeshModel, workload: Workload): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(model, workload.name, configMapName(workload.name)),

    data: { ...workload.config },
  };
}
