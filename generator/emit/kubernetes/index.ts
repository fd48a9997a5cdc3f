// The Kubernetes emitter: `k8s/namespace.yaml`, `k8s/<service>.yaml` (ConfigMap, Deployment,
// Service, the headless `<service>-headless` Service, and a PodDisruptionBudget when replicated),
// `k8s/gateway.yaml` and `k8s/kustomization.yaml`.
// Secrets appear only as references (`secretKeyRef`), never as values.
import type { MeshModel } from '../../model/types.js';
import { GATEWAY_WORKLOAD, outputFiles } from '../../naming/index.js';
import type { EmittedFile, Emitter } from '../types.js';
import { configMapObject } from './config-map.js';
import { deploymentObject } from './deployment.js';
import { kustomizationObject } from './kustomization.js';
import { namespaceObject } from './namespace.js';
import { pdbObject } from './pdb.js';
import { headlessServiceObject, serviceObject } from './service.js';
import type { Workload } from './types.js';
import { gatewayWorkload, serviceWorkload } from './workload.js';
import { toYamlDocuments } from './yaml.js';

export const emitKubernetes: Emitter = (model, { layout }) => {
  const manifests: EmittedFile[] = [
    { path: outputFiles.k8sNamespace, content: toYamlDocuments([namespaceObject(model)]), sources: [model.meshFile] },
  ];
  for (const service of model.services) {
    manifests.push({
      path: outputFiles.k8sWorkload(service.name),
      content: toYamlDocuments(workloadObjects(model, serviceWorkload(model, service, layout), true)),
      // The mesh file gives the namespace, version and grace period; callees' files their ports.
      sources: sorted([model.meshFile, service.file, ...service.calls.map((c) => fileOf(model, c.service))]),
    });
  }
  if (model.gateway) {
    manifests.push({
      path: outputFiles.k8sWorkload(GATEWAY_WORKLOAD),
      content: toYamlDocuments(workloadObjects(model, gatewayWorkload(model, model.gateway, layout))),
      sources: sorted([model.meshFile, ...model.gateway.routes.map((r) => fileOf(model, r.service))]),
    });
  }
  const resources = manifests.map((f) => f.path.slice('k8s/'.length));
  manifests.push({
    path: outputFiles.k8sKustomization,
    content: toYamlDocuments([kustomizationObject(model, resources)]),
    sources: sorted(manifests.flatMap((f) => f.sources)),
  });
  return manifests;
};

/** A service's objects also include its headless Service (the gateway is called through its ClusterIP only). */
function workloadObjects(model: MeshModel, workload: Workload, headless = false): object[] {
  const pdb = pdbObject(model, workload);
  return [
    configMapObject(model, workload),
    deploymentObject(model, workload),
    serviceObject(model, workload),
    ...(headless ? [headlessServiceObject(model, workload)] : []),
    ...(pdb ? [pdb] : []),
  ];
}

function fileOf(model: MeshModel, service: string): string {
  return model.services.find((s) => s.name === service)?.file ?? model.meshFile;
}

function sorted(files: string[]): string[] {
  return [...new Set(files)].sort();
}
