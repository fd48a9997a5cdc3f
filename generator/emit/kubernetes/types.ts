// The Kubernetes object types the emitter builds, from kubernetes-models (type-only imports:
// erased at run time, so the generator does not need the package installed to run).
export type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
export type { IContainer } from 'kubernetes-models/v1/Container';
export type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
export type { INamespace } from 'kubernetes-models/v1/Namespace';
export type { IProbe } from 'kubernetes-models/v1/Probe';
export type { IService } from 'kubernetes-models/v1/Service';
export type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
export type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';

import type { ResourcesModel, SecretRefModel } from '../../model/types.js';

/** A named port of a workload. `servicePort` is what the Service exposes; the container listens on `containerPort`. */
export interface WorkloadPort {
  name: 'http' | 'grpc';
  containerPort: number;
  servicePort: number;
  appProtocol: string;
}

/** What a service and the gateway have in common on Kubernetes: one Deployment behind one Service. */
export interface Workload {
  /** Object name of the ConfigMap prefix, Deployment, Service and PDB; the container's name. */
  name: string;
  image: string;
  replicas: number;
  resources: ResourcesModel;
  command: string[];
  ports: WorkloadPort[];
  /** The ConfigMap's data (plain environment variables). */
  config: Record<string, string>;
  secrets: SecretRefModel[];
}
