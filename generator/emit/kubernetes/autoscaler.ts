// A HorizontalPodAutoscaler (autoscaling/v2) for a workload whose spec sets `deploy.autoscaling`:
// replicas between `min` and `max`, holding the pods' average CPU at the target share of their CPU
// request (every container has one: `resources.cpu`, default 100m). The Deployment then carries no
// `replicas`, so that applying the manifests again does not reset the count the autoscaler chose.
import type { MeshModel } from '../../model/types.js';
import { objectMeta } from './labels.js';
import type { IHorizontalPodAutoscaler, Workload } from './types.js';

/**
 * The workload's autoscaler, or null when its replica count is fixed.
 *
 * @param model the mesh (namespace, labels)
 * @param workload a workload
 * @example autoscalerObject(model, { ...orders, autoscaling: { min: 2, max: 10, cpuPercent: 70 } })?.spec?.maxReplicas // 10
 */
export function autoscalerObject(model: MeshModel, workload: Workload): IHorizontalPodAutoscaler | null {
  const autoscaling = workload.autoscaling;
  if (!autoscaling) return null;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: objectMeta(model, workload.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name },
      minReplicas: autoscaling.min,
      maxReplicas: autoscaling.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.cpuPercent } } }],
    },
  };
}
