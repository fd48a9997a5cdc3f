// The image references the manifests give each workload (`deploy.image`): one image serves them all
// (its entry takes the workload's name), so a build tags it under each.
import { groupOf, groupsOf } from '../../model/lookup.js';
import { compare } from '../../model/order.js';
import type { MeshModel } from '../../model/types.js';

/**
 * Every distinct `deploy.image` of the gateway, the services of their own and the groups, sorted.
 *
 * @param model the mesh
 * @example workloadImages(shop) // ['registry.example.com/shop/gateway:1.0.0', 'registry.example.com/shop/inventory:1.0.0', ...]
 */
export function workloadImages(model: MeshModel): string[] {
  const images = [
    ...(model.gateway === null ? [] : [model.gateway.deploy.image]),
    ...model.services.filter((s) => groupOf(model, s.name) === null).map((s) => s.deploy.image),
    ...groupsOf(model).map((g) => g.deploy.image),
  ];
  return [...new Set(images)].sort(compare);
}
