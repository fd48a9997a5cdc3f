// The exported objects of a hook file and the members the spec wants in each: `handlers` (always
// there), `subscriptions`, `compensations`, `fallbacks` and `healthChecks` (there once the service
// subscribes, compensates, names a call fallback or declares a readiness check). Creating and evolving a file both start from this list, so they cannot disagree.
import type { MeshModel, ServiceModel } from '../model/types.js';
import { compensationsOf, hookedEndpoints } from '../model/lookup.js';
import type { Member } from './extend-object.js';
import { upgradesOf } from '../model/upgrades.js';
import { compensationsType, fallbacksType, handlersType, healthChecksType, subscriptionsType, upgradesType } from './names.js';
import { compensationStub, endpointStub, fallbackStub, healthCheckStub, serviceFallbacks, subscriptionStub, upgradeStub } from './stubs.js';

/**
 * The name a hook file exports an object under; also its field in the parsed shape (parse.ts).
 *
 * @example
 * const name: HookObjectName = 'fallbacks';
 */
export type HookObjectName = 'handlers' | 'subscriptions' | 'upgrades' | 'compensations' | 'fallbacks' | 'healthChecks';

/**
 * One exported object of a hook file and the members the spec wants in it.
 *
 * @example
 * // { object: 'fallbacks', type: 'OrdersFallbacks', label: 'fallback', required: false, wanted: [guestUser] }
 */
export interface HookObject {
  object: HookObjectName;
  /** The generated interface it is typed against, e.g. `OrdersFallbacks`. */
  type: string;
  /** What one member is, for messages: `endpoint`, `event handler`, `fallback`. */
  label: string;
  /** The file needs it even when empty (only `handlers`); the others only once they have members. */
  required: boolean;
  wanted: Member[];
}

/**
 * The service's hook objects in file order, each with the members the spec wants, whether or not
 * the file should have it (see `needed`).
 *
 * @param model - the mesh, for event payloads and the callees' endpoints named in stub comments
 * @param service - the service whose hook file it is
 * @example
 * hookObjects(model, orders).map((o) => o.object); // ['handlers', 'subscriptions', 'upgrades', 'compensations', 'fallbacks']
 */
export function hookObjects(model: MeshModel, service: ServiceModel): HookObject[] {
  const name = service.name;
  return [
    {
      object: 'handlers',
      type: handlersType(name),
      label: 'endpoint',
      required: true,
      wanted: hookedEndpoints(service).map((e) => ({ name: e.name, render: (layout) => endpointStub(name, e, layout) })),
    },
    {
      object: 'subscriptions',
      type: subscriptionsType(name),
      label: 'event handler',
      required: false,
      wanted: service.subscribes.map((s) => ({ name: s.handler, render: (layout) => subscriptionStub(model, name, s, layout) })),
    },
    {
      object: 'upgrades',
      type: upgradesType(name),
      label: 'upgrade',
      required: false,
      wanted: upgradesOf(model, service).map((u) => ({ name: u.hook, render: (layout) => upgradeStub(name, u, layout) })),
    },
    {
      object: 'compensations',
      type: compensationsType(name),
      label: 'compensation',
      required: false,
      wanted: compensationsOf(model, name).map((part) => ({ name: part.step.compensate, render: (layout) => compensationStub(name, part, layout) })),
    },
    {
      object: 'fallbacks',
      type: fallbacksType(name),
      label: 'fallback',
      required: false,
      wanted: serviceFallbacks(service).map((ref) => ({
        name: ref.fallback.handler,
        render: (layout) => fallbackStub(model, name, ref, layout),
      })),
    },
    {
      object: 'healthChecks',
      type: healthChecksType(name),
      label: 'readiness check',
      required: false,
      wanted: service.healthChecks.map((check) => ({ name: check.name, render: (layout) => healthCheckStub(name, check, layout) })),
    },
  ];
}

/**
 * True when the hook file should export the object: always `handlers`, the others when the spec
 * wants members in them.
 *
 * @param object - one of hookObjects()
 * @example
 * needed(hookObjects(model, users)[1]); // false: users subscribes to nothing
 */
export function needed(object: HookObject): boolean {
  return object.required || object.wanted.length > 0;
}

/**
 * `a`, `a and b`, `a, b and c`: names in running text.
 *
 * @param items - what to list, in order
 * @example
 * andList(['endpoints', 'event handlers', 'fallbacks']); // 'endpoints, event handlers and fallbacks'
 */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
