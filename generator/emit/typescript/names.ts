// Identifier and path naming shared by the TypeScript emitters (ARCHITECTURE.md, "Naming rules").
import { posix } from 'node:path';
import { pascalCase } from '../../model/names.js';
import type { EmitOptions } from '../types.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { compare } from '../../model/order.js';

/** Names of everything a service's generated files declare, so every emitter agrees on them. */
export function serviceNames(service: string) {
  const Svc = pascalCase(service);
  return {
    definition: `${service}Definition`,
    host: `${service}Host`,
    client: `${Svc}Client`,
    createClient: `create${Svc}Client`,
    clients: `${Svc}Clients`,
    publishes: `${Svc}Publishes`,
    context: `${Svc}Context`,
    eventContext: `${Svc}EventContext`,
    handlers: `${Svc}Handlers`,
    subscriptions: `${Svc}Subscriptions`,
  };
}

/** `ShopEvents`: the event name -> payload interface of the mesh. */
export function meshEventsName(model: MeshModel): string {
  return `${pascalCase(model.name)}Events`;
}

/** Spec files a service's generated files derive from: the mesh file, its own and its callees'. */
export function serviceSources(model: MeshModel, service: ServiceModel): string[] {
  const callees = service.calls.map((c) => model.services.find((s) => s.name === c.service)?.file);
  const files = [model.meshFile, service.file, ...callees].filter((f): f is string => f !== undefined);
  return [...new Set(files)].sort(compare);
}

/** Import specifier of a sibling service folder's file, from inside a service folder. */
export function siblingModule(service: string, file: string): string {
  return `../${service}/${file}.js`;
}

/**
 * Import specifier of a service's hook module from inside `generated/<svc>/`: `hooksImport` is
 * relative to the output folder, so one more `..` (`../hooks` -> `../../hooks/users.js`).
 */
export function hookModule(options: EmitOptions, service: string): string {
  const dir = options.hooksImport.replace(/\/+$/, '');
  if (!dir.startsWith('.')) return `${dir}/${service}.js`;
  const joined = posix.join('..', dir, `${service}.js`);
  return joined.startsWith('.') ? joined : `./${joined}`;
}
