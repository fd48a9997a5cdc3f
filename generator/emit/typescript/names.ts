// Module paths the TypeScript emitters share. Identifiers come from generator/naming.
import { posix } from 'node:path';
import { resolveType } from '../../model/lookup.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { compare } from '../../model/order.js';
import type { EmitOptions } from '../types.js';
import type { ImportSpec } from './code.js';

/** Spec files a service's generated files derive from: the mesh file, its own and its callees'. */
export function serviceSources(model: MeshModel, service: ServiceModel): string[] {
  const callees = service.calls.map((c) => model.services.find((s) => s.name === c.service)?.file);
  const files = [model.meshFile, service.file, ...callees].filter((f): f is string => f !== undefined);
  return [...new Set(files)].sort(compare);
}

/**
 * Type-only imports of `names` (as service `scope` names them) into a module of `generated/<scope>/`:
 * the service's own types from `./types.js`, mesh-level ones from `../types.js`.
 */
export function scopedTypeImports(model: MeshModel, scope: string, names: readonly string[]): ImportSpec[] {
  const own: string[] = [];
  const shared: string[] = [];
  for (const name of new Set(names)) (resolveType(model, scope, name).owner === null ? shared : own).push(name);
  return [
    { names: own, from: './types.js', typeOnly: true },
    { names: shared, from: '../types.js', typeOnly: true },
  ];
}

/** The specifier `fromFile` imports `toFile` by (both relative to the output folder): `./routes.js`, `./users/host.js`. */
export function importPath(fromFile: string, toFile: string): string {
  const relative = posix.relative(posix.dirname(fromFile), toFile).replace(/\.ts$/, '.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
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
