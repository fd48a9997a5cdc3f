// The path of every file the emitters write, relative to the output folder. The emitters name their
// files through these functions and the semantic checks list them to find two outputs with one path
// (a service named `gateway` next to the gateway, say) before anything is written.
import { serviceProtoFile, typesProtoFile } from './proto.js';

/** The TypeScript modules of a service, inside `<service>/`. */
export const SERVICE_MODULES = ['client', 'definition', 'errors', 'handlers', 'host', 'main', 'sagas', 'types'] as const;
export type ServiceModule = (typeof SERVICE_MODULES)[number];

export const outputFiles = {
  schemas: 'schemas.ts',
  meshTypes: 'types.ts',
  events: 'events.ts',
  stack: 'stack.ts',
  /** The entry of every workload: `node build/generated/main.js <service|group|gateway>`. */
  entry: 'main.ts',
  /** One image for every workload: `docker build -f generated/Dockerfile .` from the project root. */
  dockerfile: 'Dockerfile',
  /** Its ignore file, which BuildKit reads beside it. */
  dockerignore: 'Dockerfile.dockerignore',
  serviceModule: (service: string, module: ServiceModule) => `${service}/${module}.ts`,
  /** The entry point of a group of services deployed as one process (`deploy.groups`). */
  groupMain: (group: string) => `${group}/main.ts`,
  gatewayRoutes: 'gateway/routes.ts',
  gatewayMain: 'gateway/main.ts',
  /** The gateway's merged OpenAPI document, as the module the gateway serves at `/openapi.json`. */
  gatewayOpenApi: 'gateway/openapi.ts',
  /** The same document as a file, for client generators and API tools. */
  gatewayOpenApiDocument: 'openapi/gateway.openapi.yaml',
  bufYaml: 'proto/buf.yaml',
  /** The folder the proto import paths are relative to (buf's module root). */
  protoRoot: 'proto',
  typesProto: (mesh: string) => `proto/${typesProtoFile(mesh)}`,
  serviceProto: (mesh: string, service: string) => `proto/${serviceProtoFile(mesh, service)}`,
  openApi: (service: string) => `openapi/${service}.openapi.yaml`,
  /** The kustomize base (`k8s/base/`): the mesh as the spec describes it. */
  k8sNamespace: 'k8s/base/namespace.yaml',
  k8sKustomization: 'k8s/base/kustomization.yaml',
  k8sWorkload: (workload: string) => `k8s/base/${workload}.yaml`,
  /** A kustomize overlay of the base (`dev`, `prod`), which `kubectl apply -k k8s/overlays/<name>` deploys. */
  k8sOverlay: (overlay: string) => `k8s/overlays/${overlay}/kustomization.yaml`,
  /** The mesh's sagas, described and drawn (Mermaid): only when it has any. */
  sagasDoc: 'docs/sagas.md',
  /** The mesh's events drawn (Mermaid) and tabled: publishers, subscribers, orphans. Only when it has any. */
  eventsDoc: 'docs/events.md',
  /** The mesh drawn (Mermaid): services, routes, calls, events, groups. */
  topologyDoc: 'docs/topology.md',
} as const;

/** What decides which files a mesh has, as the semantic checks know it before a model exists. */
export interface FileShape {
  mesh: string;
  gateway: boolean;
  services: readonly { name: string; grpc: boolean }[];
}

/**
 * Every file a mesh of this shape may produce, with who produces it. Generous on purpose (the
 * mesh-level proto is listed even when no rpc uses a mesh-level type): a name that is free today
 * stays free when the spec grows.
 */
export function plannedFiles(shape: FileShape): { path: string; owner: string }[] {
  const files: { path: string; owner: string }[] = [];
  const add = (path: string, owner: string) => files.push({ path, owner });
  for (const path of [outputFiles.schemas, outputFiles.meshTypes, outputFiles.events, outputFiles.stack, outputFiles.entry, outputFiles.dockerfile, outputFiles.dockerignore]) add(path, 'the mesh');
  add(outputFiles.bufYaml, 'the mesh');
  add(outputFiles.typesProto(shape.mesh), 'the mesh-level types');
  add(outputFiles.k8sNamespace, 'the mesh');
  add(outputFiles.k8sKustomization, 'the mesh');
  for (const overlay of ['dev', 'prod']) add(outputFiles.k8sOverlay(overlay), 'the mesh');
  add(outputFiles.eventsDoc, 'the mesh');
  add(outputFiles.sagasDoc, 'the mesh');
  add(outputFiles.topologyDoc, 'the mesh');
  if (shape.gateway) {
    add(outputFiles.gatewayRoutes, 'the gateway');
    add(outputFiles.gatewayMain, 'the gateway');
    add(outputFiles.gatewayOpenApi, 'the gateway');
    add(outputFiles.gatewayOpenApiDocument, 'the gateway');
    add(outputFiles.k8sWorkload('gateway'), 'the gateway');
  }
  for (const service of shape.services) {
    const owner = `service \`${service.name}\``;
    for (const module of SERVICE_MODULES) add(outputFiles.serviceModule(service.name, module), owner);
    if (service.grpc) add(outputFiles.serviceProto(shape.mesh, service.name), owner);
    add(outputFiles.openApi(service.name), owner);
    add(outputFiles.k8sWorkload(service.name), owner);
  }
  return files;
}
