// The upgrade hooks a subscriber writes: one per older version still accepted of each event it
// subscribes to, turning that version's payload into the current one. The hook file's stubs, the
// generated `<Svc>Upgrades` interface and the definition the runtime reads all come from this list.
import { upgradeHookName } from '../naming/index.js';
import type { EventModel, MeshModel, ServiceModel } from './types.js';

/**
 * One upgrade hook of a subscriber.
 *
 * @example
 * // { event: orderCreated, from: { version: 1, payload: 'OrderCreated' }, hook: 'orderCreatedFromV1' }
 */
export interface UpgradeHook {
  event: EventModel;
  /** The older version and its payload type (mesh-level). */
  from: { version: number; payload: string };
  /** Member name in the hook file's `upgrades`. */
  hook: string;
}

/**
 * The upgrade hooks of a service, by subscription (the model's order), then by version.
 *
 * @param model - the mesh, where the subscribed events are
 * @param service - the subscriber
 * @example
 * upgradesOf(model, mailer).map((u) => u.hook); // ['orderCreatedFromV1']
 */
export function upgradesOf(model: MeshModel, service: ServiceModel): UpgradeHook[] {
  const events = new Map(model.events.map((e) => [e.name, e]));
  const subscribed = [...new Set(service.subscribes.map((s) => s.event))];
  return subscribed.flatMap((name) => {
    const event = events.get(name);
    if (!event) return [];
    return event.accepts.map((from) => ({ event, from, hook: upgradeHookName(name, from.version) }));
  });
}
