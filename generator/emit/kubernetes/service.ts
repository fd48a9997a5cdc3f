// The ClusterIP Service in front of a workload, one named port per workload port, and the headless
// Service beside it whose DNS name lists every ready pod, for callers that balance themselves.
import type { MeshModel } from '../../model/types.js';
import { headlessServiceName } from '../../naming/index.js';
import { objectMeta, selectorLabels } from './labels.js';
import type { IService, ServiceFront, Workload } from './types.js';

/**
 * The front of a workload that is one service (or the gateway): a Service of its own name with its ports.
 *
 * @param workload a service's or the gateway's workload
 * @example frontOf(serviceWorkload(model, users)).ports[0] // { name: 'http', port: 3001, targetPort: 'http', appProtocol: 'http' }
 */
export function frontOf(workload: Workload): ServiceFront {
  return {
    name: workload.name,
    workload: workload.name,
    ports: workload.ports.flatMap((p) => (p.servicePort === null ? [] : [{ name: p.name, port: p.servicePort, targetPort: p.name, appProtocol: p.appProtocol }])),
  };
}

/**
 * The ClusterIP Service `front` describes, selecting the pods of its workload.
 *
 * @param model the mesh (namespace, labels)
 * @param front the Service's name, workload and ports
 * @example serviceObject(model, frontOf(workload)).spec.type // 'ClusterIP'
 */
export function serviceObject(model: MeshModel, front: ServiceFront): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(model, front.name),

    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(model, front.workload),
      ports: front.ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort,
        protocol: 'TCP',
        appProtocol: p.appProtocol,
      })),
    },
  };
}

/**
 * The headless Service of a service: same selector and ports, no cluster IP, so its DNS name
 * (`<service>-headless.<namespace>.svc.cluster.local`) resolves to the ready pods themselves, and a
 * caller whose `calls.<service>.dns` names it spreads its calls over them (and ejects a bad one).
 *
 * @param model the mesh
 * @param front a service's front (its own workload's, or its group's)
 * @example headlessServiceObject(model, frontOf(serviceWorkload(model, users))).metadata.name // 'users-headless'
 */
export function headlessServiceObject(model: MeshModel, front: ServiceFront): IService {
  const service = serviceObject(model, front);
  return {
    ...service,
    metadata: objectMeta(model, front.name, headlessServiceName(front.name)),
    spec: { ...service.spec, type: 'ClusterIP', clusterIP: 'None' },
  };
}
