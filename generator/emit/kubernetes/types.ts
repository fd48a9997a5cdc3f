// The Kubernetes object types the emitter builds, from kubernetes-models (type-only imports:
// erased at run time, so the generator does not need the package installed to run).
export type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
export type { IContainer } from 'kubernetes-models/v1/Container';
export type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
export type { INamespace } from 'kubernetes-models/v1/Namespace';
export type { IProbe } from 'kubernetes-models/v1/Probe';
export type { IService } from 'kubernetes-models/v1/Service';
export type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
export type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
export type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
export type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
export type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
export type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
export type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
export type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
export type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
export type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';

import type { AutoscalingModel, ResourcesModel, SecretRefModel } from '../../model/types.js';

/** A named port of a workload. `servicePort` is what the Service exposes; the container listens on `containerPort`. */
export interface WorkloadPort {
  /** `http`, `grpc` or `metrics`; in a group's pod `<service>-http` and the like (`groupPortNames`). */
  name: string;
  containerPort: number;
  /** Null: the pod's alone, not on its Service (the gateway's `metrics`: Prometheus scrapes pods). */
  servicePort: number | null;
  appProtocol: string;
}

/** What a service and the gateway have in common on Kubernetes: one Deployment behind one Service. */
export interface Workload {
  /** Object name of the ConfigMap prefix, Deployment, Service and PDB; the container's name. */
  name: string;
  image: string;
  /** Fixed replicas; with `autoscaling`, its `min`. */
  replicas: number;
  /** Null: the count is `replicas`. Otherwise an autoscaler sets it and the Deployment carries none. */
  autoscaling: AutoscalingModel | null;
  resources: ResourcesModel;
  /** How long the process serves with /ready at 503 after SIGTERM before it stops accepting, ms (`SHUTDOWN_DELAY`). */
  shutdownDelayMs: number;
  /** How long the process then lets requests in flight finish before cutting them, ms. */
  shutdownGraceMs: number;
  /** The container's arguments: the workload's name, which the image's entry starts (no `command`: the ENTRYPOINT is the image's). */
  args: string[];
  ports: WorkloadPort[];
  /** The container port the probes (`/health`, `/ready`) ask. */
  probePort: string;
  /** The container port the `prometheus.io/port` annotation names: the gateway's `metrics`, a service's `http`. */
  metricsPort: string;
  /** Every container port that serves `/metrics` (a group: each member's HTTP port), for the monitoring NetworkPolicy rule. */
  metricsPorts: number[];
  /** The ConfigMap's data (plain environment variables). */
  config: Record<string, string>;
  secrets: SecretRefModel[];
}

/** A port of a Service: the name callers see, the port they call, and the pod's port it forwards to (by name). */
export interface FrontPort {
  name: string;
  port: number;
  targetPort: string;
  appProtocol: string;
}

/**
 * A Kubernetes Service in front of a workload's pods. A service of its own is fronted by a Service of
 * the workload's name; each service of a group by a Service of its own name that selects the group's pods.
 */
export interface ServiceFront {
  /** The Service's name: what callers resolve in DNS. */
  name: string;
  /** The workload whose pods it selects. */
  workload: string;
  ports: FrontPort[];
}
