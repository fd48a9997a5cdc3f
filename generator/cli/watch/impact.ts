// What a reload must restart, from what the running stack runs and what the new generation holds.
// Compared as the runtime sees them (definitions, schemas, events, gateway configuration), not as
// text: a new endpoint of orders changes orders' definition, its client (which payments imports)
// and the mesh's schemas file, yet payments runs exactly as before, so it keeps running.
import { isDeepStrictEqual } from 'node:util';
import type { ServiceDefinition } from '../../../runtime/service/definition.js';
import type { GatewayConfig } from '../../../runtime/gateway/types.js';

/** What the stack runs (or would run), as far as restarts are concerned. */
export interface StackShape {
  /** By service name. */
  definitions: ReadonlyMap<string, ServiceDefinition>;
  /** The mesh's JSON Schemas `$defs`: `<service>.<Type>` for a service's own types, shared ones unprefixed. */
  schemas: Readonly<Record<string, unknown>>;
  /** The event catalog (payload type and version per event). */
  events: unknown;
  gateway: GatewayConfig | null;
}

export interface ReloadPlan {
  /** Services to restart (or start: new in the spec), sorted. */
  restart: string[];
  /** Services the spec no longer has. */
  stop: string[];
  /** Why the gateway is replaced (`routes`, `openapi`), or null to keep it. */
  gateway: 'routes' | 'openapi' | null;
}

/**
 * Services whose own files changed (their generated folder or hook files) restart, as do those
 * whose schemas (their own, or the shared ones) changed, all of them when an event changed, and the
 * callers of a service whose existing endpoints changed (an endpoint only added or removed leaves
 * callers as they were: one that calls the new endpoint changed its own hooks).
 *
 * @param before - what runs now
 * @param after - the new generation
 * @param touched - services whose generated folder or hook files changed
 */
export function planReload(before: StackShape, after: StackShape, touched: ReadonlySet<string>): ReloadPlan {
  const restart = new Set<string>();
  const sharedSchemasChanged = !sameSlice(before.schemas, after.schemas, (key) => !key.includes('.'));
  const eventsChanged = !isDeepStrictEqual(before.events, after.events);
  const contractChanged = new Set([...after.definitions.keys()].filter((name) => {
    const old = before.definitions.get(name);
    return old !== undefined && !sameExistingContract(old, after.definitions.get(name)!);
  }));
  for (const [name, definition] of after.definitions) {
    const old = before.definitions.get(name);
    if (
      !old ||
      touched.has(name) ||
      sharedSchemasChanged ||
      eventsChanged ||
      !isDeepStrictEqual(old, definition) ||
      !sameSlice(before.schemas, after.schemas, (key) => key.startsWith(`${name}.`)) ||
      definition.calls.some((call) => contractChanged.has(call.service))
    ) {
      restart.add(name);
    }
  }
  const stop = [...before.definitions.keys()].filter((name) => !after.definitions.has(name));
  return { restart: [...restart].sort(), stop: stop.sort(), gateway: gatewayChange(before.gateway, after.gateway) };
}

/** Whether the gateway's routes or settings changed, else its OpenAPI document, else nothing. */
export function gatewayChange(before: GatewayConfig | null, after: GatewayConfig | null): ReloadPlan['gateway'] {
  if (before === null || after === null) return before === after ? null : 'routes';
  const { openapi: oldDocument, ...oldConfig } = before;
  const { openapi: newDocument, ...newConfig } = after;
  if (!isDeepStrictEqual(oldConfig, newConfig)) return 'routes';
  return isDeepStrictEqual(oldDocument, newDocument) ? null : 'openapi';
}

/**
 * What changed in a service's endpoints, for the reload line: `1 endpoint added`, `getOrder changed`.
 *
 * @example
 * describeEndpoints(before, after) // ['1 endpoint added']
 */
export function describeEndpoints(before: ServiceDefinition | undefined, after: ServiceDefinition | undefined): string[] {
  if (!before || !after) return [after ? 'new service' : 'removed'];
  const old = new Map(before.endpoints.map((e) => [e.name, e]));
  const now = new Map(after.endpoints.map((e) => [e.name, e]));
  const added = [...now.keys()].filter((name) => !old.has(name)).length;
  const removed = [...old.keys()].filter((name) => !now.has(name)).length;
  const changed = [...now].filter(([name, e]) => old.has(name) && !isDeepStrictEqual(old.get(name), e)).length;
  const parts: string[] = [];
  if (added) parts.push(`${added} endpoint${added === 1 ? '' : 's'} added`);
  if (removed) parts.push(`${removed} endpoint${removed === 1 ? '' : 's'} removed`);
  if (changed) parts.push(`${changed} endpoint${changed === 1 ? '' : 's'} changed`);
  return parts;
}

/** The endpoints both have are the same, and so is everything but the list of endpoints. */
function sameExistingContract(before: ServiceDefinition, after: ServiceDefinition): boolean {
  const { endpoints: oldEndpoints, ...oldRest } = before;
  const { endpoints: newEndpoints, ...newRest } = after;
  if (!isDeepStrictEqual(oldRest, newRest)) return false;
  const now = new Map(newEndpoints.map((e) => [e.name, e]));
  return oldEndpoints.every((e) => !now.has(e.name) || isDeepStrictEqual(e, now.get(e.name)));
}

function sameSlice(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, inSlice: (key: string) => boolean): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter(inSlice));
  return [...keys].every((key) => isDeepStrictEqual(before[key], after[key]));
}
