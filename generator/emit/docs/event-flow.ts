// Who sends and who receives each event of the mesh, as the bus sees it: the services that may
// publish it, the spec's subscriptions (each service its own consumer group), and the subscriptions
// the runtime takes by itself for choreographed sagas (the owner's saga log, the compensations),
// each in a group of its own. events.md draws and tables these facts.
import { choreographiesOf, choreographyPartsOf } from '../../model/lookup.js';
import { byName, compare } from '../../model/order.js';
import type { EventModel, MeshModel } from '../../model/types.js';

/**
 * One consumer group's subscription to an event.
 *
 * @example
 * const subscription: EventSubscription = { service: 'orders', handler: 'confirmOrder', kind: 'hook', group: 'orders', maxAttempts: null };
 */
export interface EventSubscription {
  service: string;
  /** The hook that handles it; for the saga log, the saga's name. */
  handler: string;
  /** `hook`: the spec's `subscribes`; `sagaLog` and `compensation`: the runtime's, for a choreographed saga. */
  kind: 'hook' | 'sagaLog' | 'compensation';
  /** The consumer group: the service's name, `<service>.sagaLog` or `<service>.compensations`. */
  group: string;
  /** Deliveries before dead-lettering when the spec sets them for this subscription, else null (the mesh's `runtime.bus.maxAttempts`). */
  maxAttempts: number | null;
}

/**
 * An event with its publishers and every subscription to it.
 *
 * @example
 * const flow: EventFlow = { event, publishers: ['payments'], subscriptions: [] };
 */
export interface EventFlow {
  event: EventModel;
  /** Sorted; empty when no service publishes it. */
  publishers: string[];
  /** By service, then group, then handler; empty when nothing receives it. */
  subscriptions: EventSubscription[];
}

/** The subscriptions the runtime takes for the mesh's choreographed sagas, by event. */
function sagaSubscriptions(model: MeshModel): Map<string, EventSubscription[]> {
  const byEvent = new Map<string, EventSubscription[]>();
  const add = (event: string, subscription: EventSubscription) => byEvent.set(event, [...(byEvent.get(event) ?? []), subscription]);
  for (const saga of choreographiesOf(model)) {
    add(saga.choreography.starts, { service: saga.service, handler: saga.name, kind: 'sagaLog', group: `${saga.service}.sagaLog`, maxAttempts: null });
  }
  for (const service of model.services) {
    for (const { step, compensateOn } of choreographyPartsOf(model, service.name)) {
      if (step.compensate === null) continue;
      for (const event of compensateOn) add(event, { service: service.name, handler: step.compensate, kind: 'compensation', group: `${service.name}.compensations`, maxAttempts: null });
    }
  }
  return byEvent;
}

/**
 * Every event of the mesh, sorted by name, with who publishes and who subscribes to it.
 *
 * @param model - the mesh
 * @example eventFlows(model).filter((f) => f.subscriptions.length === 0).map((f) => f.event.name) // ['order.created', ...]
 */
export function eventFlows(model: MeshModel): EventFlow[] {
  const runtime = sagaSubscriptions(model);
  return [...model.events].sort(byName).map((event) => {
    const hooks = model.services.flatMap((service) =>
      service.subscribes
        .filter((s) => s.event === event.name)
        .map((s): EventSubscription => ({ service: service.name, handler: s.handler, kind: 'hook', group: service.name, maxAttempts: s.maxAttempts ?? null })),
    );
    const subscriptions = [...hooks, ...(runtime.get(event.name) ?? [])].sort(
      (a, b) => compare(a.service, b.service) || compare(a.group, b.group) || compare(a.handler, b.handler),
    );
    return { event, publishers: [...event.publishers].sort(compare), subscriptions };
  });
}

/**
 * What an event lacks to flow: no publisher, no subscriber, both, or nothing (empty string).
 *
 * @param flow - the event's flow
 * @example orphanNote({ event, publishers: ['users'], subscriptions: [] }) // 'no subscriber'
 */
export function orphanNote(flow: EventFlow): string {
  const missing = [...(flow.publishers.length === 0 ? ['no publisher'] : []), ...(flow.subscriptions.length === 0 ? ['no subscriber'] : [])];
  return missing.join(', ');
}

/**
 * A subscription in words, for an edge label or a table cell: the hook, the attempts the spec sets,
 * and the group when it is not the service's own.
 *
 * @param subscription - the subscription
 * @example subscriptionText({ service: 'payments', handler: 'refundCharge', kind: 'compensation', group: 'payments.compensations', maxAttempts: null }) // 'refundCharge (compensation), group payments.compensations'
 */
export function subscriptionText(subscription: EventSubscription): string {
  const { handler, kind, group, service, maxAttempts } = subscription;
  const what = kind === 'sagaLog' ? `saga log of ${handler}` : kind === 'compensation' ? `${handler} (compensation)` : handler;
  const attempts = maxAttempts === null ? [] : [`${maxAttempts} ${maxAttempts === 1 ? 'attempt' : 'attempts'}`];
  const grouped = group === service ? [] : [`group ${group}`];
  return [what, ...attempts, ...grouped].join(', ');
}
