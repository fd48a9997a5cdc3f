// The ClusterIP Service in front of a workload, one named port per workload port.
import type { MeshModel } from '../../model/types.js';
import { objectMeta, selectorLabels } from './labels.js';
import type { IService, Workload } from './types.js';

export function serviceObject(model: MeshModel, workload: Workload): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(model, workload.name),

    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(model, workload.name),
      ports: workload.ports.map((p) => ({
        name: p.name,
        port: p.servicePort,
        targetPort: p.name,
        protocol: 'TCP',
        appProtocol: p.appProtocol,
      })),
    },
  };
}
