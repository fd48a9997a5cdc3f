// Kubernetes names: one workload (Deployment, Service, PodDisruptionBudget, ConfigMap) per service and
// one for the gateway, in the mesh's namespace; discovery through environment variables.

/** The workload name of the gateway. */
export const GATEWAY_WORKLOAD = 'gateway';

/** `<workload>-config`: the ConfigMap a workload loads its environment from. */
export function configMapName(workload: string): string {
  return `${workload}-config`;
}

/** The variables runtime/discovery reads: `MESH_<SERVICE>_HTTP` / `MESH_<SERVICE>_GRPC`. */
export { discoveryEnvName } from '../../common/discovery.js';

/** Objects Kubernetes itself keeps in a namespace: a workload of the same name would replace them. */
export const RESERVED_OBJECTS: Readonly<Record<string, readonly string[]>> = {
  default: ['kubernetes'],
};
