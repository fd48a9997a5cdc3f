// Module paths the TypeScript emitters share. Identifiers come from generator/naming.
import { resolveType } from '../../model/lookup.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { compare } from '../../model/order.js';
import { hookFile, outputFiles, outputPath, relativeImport } from '../../naming/index.js';
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

/** Import specifier of a service's hook module from its host module: `../../hooks/users.js`. */
export function hookModule({ layout }: EmitOptions, service: string): string {
  const host = outputPath(layout, outputFiles.serviceModule(service, 'host'));
  return relativeImport(host, hookFile(layout.hooksDir, service));
}
