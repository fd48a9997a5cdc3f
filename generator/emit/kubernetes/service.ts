// The ClusterIP Service in front of a workload, one named port per workload port, and the headless
// Service beside it whose DNS name lists every ready pod, for callers that balance themselves.
import type { MeshModel } from '../../model/types.js';
import { headlessServiceName } from '../../naming/index.js';
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

/**
 * The headless Service of a service's workload: same selector and ports, no cluster IP, so its DNS
 * name (`<service>-headless.<namespace>.svc.cluster.local`) resolves to the ready pods themselves, and a
 * caller whose `calls.<service>.dns` names it spreads its calls over them (and ejects a bad one).
 *
 * @param model the mesh
 * @param workload a service's workload
 * @example headlessServiceObject(model, serviceWorkload(model, users, layout)).metadata.name // 'users-headless'
 */
export function headlessServiceObject(model: MeshModel, workload: Workload): IService {
  const service = serviceObject(model, workload);
  return {
    ...service,
    metadata: objectMeta(model, workload.name, headlessServiceName(workload.name)),
    spec: { ...service.spec, type: 'ClusterIP', clusterIP: 'None' },
  };
}
