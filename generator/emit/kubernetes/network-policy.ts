// The NetworkPolicies of a workload, which turn the spec's call graph into enforcement: its pods
// accept connections only from the workloads that call it (and the gateway, for routed services) on
// the ports those calls use, and open connections only to their callees, DNS, and what lies outside
// the mesh (the bus, databases, the rate limits' Redis) on those systems' ports. Two objects: a
// default deny (`<workload>-deny-all`) that stays whatever else changes, and the allowances
// (`<workload>-allow`); Prometheus' pods (`deploy.monitoring`) reach the metrics ports alone. Outside destinations are any address on the port: the operator narrows them
// (an ipBlock or a selector) in an overlay, since the spec does not say where the bus or database runs.
import type { MeshModel, MonitoringModel } from '../../model/types.js';
import { objectMeta, selectorLabels } from './labels.js';
import type { WorkloadTraffic } from './traffic.js';
import type { INetworkPolicy, INetworkPolicyEgressRule, INetworkPolicyIngressRule, INetworkPolicyPort } from './types.js';

/** Cluster DNS lives in kube-system; `kubernetes.io/metadata.name` is set on every namespace (Kubernetes 1.22+). */
const dnsNamespace = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } };
const dnsPorts: INetworkPolicyPort[] = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

/**
 * The workload's default deny: its pods neither receive nor send anything no other policy allows.
 *
 * @param model the mesh (namespace, labels)
 * @param workload the workload's name
 * @example denyAllPolicy(model, 'users').spec.policyTypes // ['Ingress', 'Egress']
 */
export function denyAllPolicy(model: MeshModel, workload: string): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMeta(model, workload, `${workload}-deny-all`),
    spec: { podSelector: { matchLabels: selectorLabels(model, workload) }, policyTypes: ['Ingress', 'Egress'] },
  };
}

/**
 * What the workload's pods may receive and send (`traffic`, from traffic.ts): one ingress rule per
 * caller and one egress rule per callee, each on its ports; DNS; one egress rule per outside system.
 *
 * @param model the mesh (namespace, labels)
 * @param traffic the workload's traffic
 * @example allowPolicy(model, meshTraffic(model, ['users'])[0]!).spec.ingress?.[0]?.from // [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', ... } } }]
 */
export function allowPolicy(model: MeshModel, traffic: WorkloadTraffic): INetworkPolicy {
  const ingress: INetworkPolicyIngressRule[] = [
    // No `from`: any source, inside the cluster or out.
    ...(traffic.publicPorts.length > 0 ? [{ ports: tcp(traffic.publicPorts) }] : []),
    ...traffic.ingress.map((i) => ({ from: [podsOf(model, i.peer)], ports: tcp(i.ports) })),
    ...(model.deploy.monitoring && traffic.metricsPorts.length > 0 ? [{ from: [monitoringPods(model.deploy.monitoring)], ports: tcp(traffic.metricsPorts) }] : []),
  ];
  const egress: INetworkPolicyEgressRule[] = [
    ...traffic.egress.map((e) => ({ to: [podsOf(model, e.peer)], ports: tcp(e.ports) })),
    { to: [dnsNamespace], ports: dnsPorts },
    // No `to`: any destination on the port, until an overlay says where the system runs.
    ...traffic.external.map((x) => ({ ports: tcp([x.port]) })),
  ];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      ...objectMeta(model, traffic.workload, `${traffic.workload}-allow`),
      ...(traffic.external.length > 0 ? { annotations: { 'meshspec/outside-the-mesh': traffic.external.map((x) => `${x.port}: ${x.purpose}`).join('; ') } } : {}),
    },
    spec: {
      podSelector: { matchLabels: selectorLabels(model, traffic.workload) },
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length > 0 ? { ingress } : {}),
      egress,
    },
  };
}

/**
 * Prometheus' pods: its namespace, by the label Kubernetes sets on every namespace, and its pods'
 * labels when the spec gives them (both in one peer: the namespace AND the labels).
 */
function monitoringPods(monitoring: MonitoringModel) {
  const namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': monitoring.namespace } };
  return Object.keys(monitoring.podSelector).length > 0 ? { namespaceSelector, podSelector: { matchLabels: { ...monitoring.podSelector } } } : { namespaceSelector };
}

function podsOf(model: MeshModel, workload: string) {
  return { podSelector: { matchLabels: selectorLabels(model, workload) } };
}

function tcp(ports: readonly number[]): INetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port }));
}
