// The Kubernetes emitter. The kustomize base, `k8s/base/`: `namespace.yaml`, `<service>.yaml` (ConfigMap, Deployment,
// Service, the headless `<service>-headless` Service, a PodDisruptionBudget when replicated, a
// ServiceAccount, and the NetworkPolicies that follow the call graph: network-policy.ts),
// `<group>.yaml` for the services a group deploys as one process (the same objects, with the
// Service and headless Service of every member), `gateway.yaml` and `kustomization.yaml`; and its
// overlays `k8s/overlays/dev/` and `k8s/overlays/prod/` (overlays.ts).
// Secrets appear only as references (`secretKeyRef`), never as values: the bus URL, and the gateway's
// JWT key, rate-limit Redis URL and identity keys (gateway-secrets.ts).
import { groupOf, groupsOf } from '../../model/lookup.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { GATEWAY_WORKLOAD, outputFiles } from '../../naming/index.js';
import type { EmittedFile, Emitter } from '../types.js';
import { autoscalerObject } from './autoscaler.js';
import { configMapObject } from './config-map.js';
import { deploymentObject } from './deployment.js';
import { ingressObject } from './ingress.js';
import { kustomizationObject } from './kustomization.js';
import { namespaceObject } from './namespace.js';
import { devOverlay, prodOverlay } from './overlays.js';
import { allowPolicy, denyAllPolicy } from './network-policy.js';
import { pdbObject } from './pdb.js';
import { serviceAccountObject } from './service-account.js';
import { frontOf, headlessServiceObject, serviceObject } from './service.js';
import type { ServiceFront, Workload } from './types.js';
import { meshTraffic, type WorkloadTraffic } from './traffic.js';
import { gatewayWorkload, groupWorkload, serviceWorkload } from './workload.js';
import { toYamlDocuments } from './yaml.js';

export const emitKubernetes: Emitter = (model) => {
  const workloads = [
    ...model.services.filter((s) => groupOf(model, s.name) === null).map((s) => s.name),
    ...groupsOf(model).map((g) => g.name),
    ...(model.gateway ? [GATEWAY_WORKLOAD] : []),
  ];
  const traffic = new Map(meshTraffic(model, workloads).map((t) => [t.workload, t]));
  const trafficOf = (workload: string) => traffic.get(workload)!;
  const built: Workload[] = [];
  const manifests: EmittedFile[] = [
    { path: outputFiles.k8sNamespace, content: toYamlDocuments([namespaceObject(model)]), sources: [model.meshFile] },
  ];
  for (const service of model.services) {
    if (groupOf(model, service.name) !== null) continue;
    const workload = serviceWorkload(model, service);
    built.push(workload);
    manifests.push({
      path: outputFiles.k8sWorkload(service.name),
      content: toYamlDocuments(workloadObjects(model, workload, trafficOf(workload.name), [frontOf(workload)])),
      // The mesh file gives the namespace, version, grace period and routes; callees' files their ports; callers' files the policies.
      sources: serviceSources(model, [service]),
    });
  }
  for (const group of groupsOf(model)) {
    const { workload, fronts } = groupWorkload(model, group);
    built.push(workload);
    manifests.push({
      path: outputFiles.k8sWorkload(group.name),
      content: toYamlDocuments(workloadObjects(model, workload, trafficOf(workload.name), fronts)),
      sources: serviceSources(model, model.services.filter((s) => group.services.includes(s.name))),
    });
  }
  if (model.gateway) {
    const auth = model.gateway.auth;
    const delegate = auth && 'delegate' in auth ? [fileOf(model, auth.delegate.service)] : [];
    const workload = gatewayWorkload(model, model.gateway);
    built.push(workload);
    manifests.push({
      path: outputFiles.k8sWorkload(GATEWAY_WORKLOAD),
      content: toYamlDocuments(workloadObjects(model, workload, trafficOf(GATEWAY_WORKLOAD), [], true)),
      sources: sorted([model.meshFile, ...model.gateway.routes.map((r) => fileOf(model, r.service)), ...delegate]),
    });
  }
  const resources = manifests.map((f) => f.path.slice(f.path.lastIndexOf('/') + 1));
  const everySource = sorted(manifests.flatMap((f) => f.sources));
  manifests.push(
    { path: outputFiles.k8sKustomization, content: toYamlDocuments([kustomizationObject(model, resources)]), sources: everySource },
    // dev depends on no spec value; prod on every image, so on every file.
    { path: outputFiles.k8sOverlay('dev'), content: toYamlDocuments([devOverlay()]), sources: [model.meshFile] },
    { path: outputFiles.k8sOverlay('prod'), content: toYamlDocuments([prodOverlay(built)]), sources: everySource },
  );
  return manifests;
};

/**
 * A workload's ServiceAccount, ConfigMap and Deployment, the Service and headless Service of every service it runs
 * (`services`), its PodDisruptionBudget, its HorizontalPodAutoscaler, and its NetworkPolicies
 * (`traffic`). The gateway (`gateway`) has a Service but no headless one (it is called through its
 * ClusterIP only), and the Ingress the spec asks for.
 */
function workloadObjects(model: MeshModel, workload: Workload, traffic: WorkloadTraffic, services: readonly ServiceFront[], gateway = false): object[] {
  const pdb = pdbObject(model, workload);
  const autoscaler = autoscalerObject(model, workload);
  const ingress = gateway && model.gateway?.ingress ? ingressObject(model, model.gateway.ingress) : null;
  return [
    serviceAccountObject(model, workload),
    configMapObject(model, workload),
    deploymentObject(model, workload),
    ...(gateway ? [serviceObject(model, frontOf(workload))] : services.flatMap((front) => [serviceObject(model, front), headlessServiceObject(model, front)])),
    ...(ingress ? [ingress] : []),
    ...(pdb ? [pdb] : []),
    ...(autoscaler ? [autoscaler] : []),
    denyAllPolicy(model, workload.name),
    allowPolicy(model, traffic),
  ];
}

/** The files a workload of `services` is made from: the mesh file (namespace, version, grace period), theirs, their callees' (ports) and callers' (policies). */
function serviceSources(model: MeshModel, services: readonly ServiceModel[]): string[] {
  const names = new Set(services.map((s) => s.name));
  const callers = model.services.filter((c) => c.calls.some((call) => names.has(call.service))).map((c) => c.file);
  return sorted([model.meshFile, ...callers, ...services.flatMap((s) => [s.file, ...s.calls.map((c) => fileOf(model, c.service))])]);
}

function fileOf(model: MeshModel, service: string): string {
  return model.services.find((s) => s.name === service)?.file ?? model.meshFile;
}

function sorted(files: string[]): string[] {
  return [...new Set(files)].sort();
}
