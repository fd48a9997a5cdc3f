// A PodDisruptionBudget, so node drains take a replicated workload's pods down one at a time.
// Only for replicas > 1 (an autoscaler's `min` > 1): with a single replica a budget would block drains forever.
import type { MeshModel } from '../../model/types.js';
import { objectMeta, selectorLabels } from './labels.js';
import type { IPodDisruptionBudget, Workload } from './types.js';

export function pdbObject(model: MeshModel, workload: Workload): IPodDisruptionBudget | null {
  if ((workload.autoscaling?.min ?? workload.replicas) <= 1) return null;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: objectMeta(model, workload.name),

    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels(model, workload.name) },
    },
  };
}
