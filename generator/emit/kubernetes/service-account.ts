// A ServiceAccount per workload: its pods run under an identity of their own (which RBAC, policy
// engines and cloud workload identity can name) instead of the namespace's `default`, and no API
// token is mounted, since no workload talks to the Kubernetes API.
import type { MeshModel } from '../../model/types.js';
import { objectMeta } from './labels.js';
import type { IServiceAccount, Workload } from './types.js';

/**
 * The workload's ServiceAccount, named after it, without an automounted token.
 *
 * @param model the mesh (namespace, labels)
 * @param workload a service's, group's or the gateway's workload
 * @example serviceAccountObject(model, workload).automountServiceAccountToken // false
 */
export function serviceAccountObject(model: MeshModel, workload: Workload): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: objectMeta(model, workload.name),
    automountServiceAccountToken: false,
  };
}
