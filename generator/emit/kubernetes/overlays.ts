// The kustomize overlays of the base (`k8s/base/`, the mesh as the spec describes it):
// - `dev`: one replica of everything, no autoscalers, small resources: a cluster to try the mesh on;
// - `prod`: the spec's replicas, resources and autoscalers, with every image listed with its tag (or
//   digest), so that a release pins or bumps each one here (`kustomize edit set image`).
// Both keep the base's namespace: the services' addresses in their ConfigMaps name it.
import { stringify } from 'yaml';
import type { Workload } from './types.js';

/** A dev pod's CPU and memory: enough to start and answer, little enough for a laptop's cluster. */
export const DEV_RESOURCES = { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } } as const;

/** A kustomization that builds on the base. */
export interface Overlay {
  apiVersion: 'kustomize.config.k8s.io/v1beta1';
  kind: 'Kustomization';
  resources: string[];
  images?: { name: string; newTag?: string; digest?: string }[];
  patches?: { target: { kind: string }; patch: string }[];
}

/** Where the base is, seen from an overlay's folder (`k8s/overlays/<name>/`). */
const base = '../../base';

/**
 * The dev overlay: every Deployment at one replica with small resources, and no autoscaler.
 *
 * @example devOverlay().patches?.map((p) => p.target.kind) // ['Deployment', 'HorizontalPodAutoscaler']
 */
export function devOverlay(): Overlay {
  const deployment = [
    // `add` sets the field whether the base has it or not (an autoscaled Deployment has no replicas).
    { op: 'add', path: '/spec/replicas', value: 1 },
    { op: 'add', path: '/spec/template/spec/containers/0/resources', value: DEV_RESOURCES },
  ];
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [base],
    patches: [
      // A JSON patch (RFC 6902), written as YAML.
      { target: { kind: 'Deployment' }, patch: stringify(deployment) },
      // A strategic-merge delete of every autoscaler the target matches (the name is the target's).
      { target: { kind: 'HorizontalPodAutoscaler' }, patch: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: every\n$patch: delete\n' },
    ],
  };
}

/**
 * The prod overlay: the base as the spec has it, with every workload's image pinned by tag or digest.
 *
 * @param workloads every workload (their images)
 * @example prodOverlay([users]).images // [{ name: 'registry.example.com/shop/users', newTag: '1.0.0' }]
 */
export function prodOverlay(workloads: readonly Workload[]): Overlay {
  const images = new Map<string, { name: string; newTag?: string; digest?: string }>();
  for (const workload of workloads) {
    const image = imageParts(workload.image);
    images.set(image.name, image);
  }
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [base],
    images: [...images.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/**
 * An image reference split as kustomize's `images` entries take it: the name, the tag, the digest.
 *
 * @param reference `name[:tag][@digest]`
 * @example imageParts('ghcr.io/acme/users:1.0.0@sha256:ab…') // { name: 'ghcr.io/acme/users', newTag: '1.0.0', digest: 'sha256:ab…' }
 */
export function imageParts(reference: string): { name: string; newTag?: string; digest?: string } {
  const at = reference.indexOf('@');
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  const named = at < 0 ? reference : reference.slice(0, at);
  // A tag follows the last `:` after the last `/` (a registry's `host:port` has a `/` after it).
  const colon = named.lastIndexOf(':');
  const tagged = colon > named.lastIndexOf('/');
  return {
    name: tagged ? named.slice(0, colon) : named,
    ...(tagged ? { newTag: named.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
