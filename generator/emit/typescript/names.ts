// Module paths the TypeScript emitters share. Identifiers come from generator/naming.
import { keyOf, resolveType } from '../../model/lookup.js';
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { compare } from '../../model/order.js';
import { posix } from 'node:path';
import { hookFile, migrationsFolder, outputFiles, outputPath, pascalCase, relativeImport, siblingModule } from '../../naming/index.js';
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

/** A type as a service's spec names it: `name` resolved in `scope` (its own types, else the mesh's). */
export interface TypeRef {
  scope: string;
  name: string;
}

/**
 * Type-only imports into a module of `generated/<scope>/` of types as any service names them (a
 * caller's file typing a callee's endpoints), with the local name of each. A type keeps its own name
 * unless that name already means another type in the file or one of `reserved`; then it is imported
 * as `<Scope><Name>` (`UsersUser`), numbered if even that is taken. Refs of `scope` itself come first,
 * so its own types always keep their names.
 *
 * @param model the mesh
 * @param scope the service whose generated module imports
 * @param refs the types wanted, as the services that name them name them
 * @param reserved identifiers the module declares or imports besides types (default none)
 * @example
 * typeImports(model, 'orders', [{ scope: 'orders', name: 'User' }, { scope: 'users', name: 'User' }]).local({ scope: 'users', name: 'User' }) // 'UsersUser'
 */
export function typeImports(
  model: MeshModel,
  scope: string,
  refs: readonly TypeRef[],
  reserved: Iterable<string> = [],
): { imports: ImportSpec[]; local: (ref: TypeRef) => string } {
  const byKey = new Map<string, string>();
  const taken = new Set(reserved);
  const modules = new Map<string, { names: string[]; aliases: Record<string, string> }>();
  const ordered = [...refs.filter((r) => r.scope === scope), ...refs.filter((r) => r.scope !== scope)];
  for (const ref of ordered) {
    const type = resolveType(model, ref.scope, ref.name);
    const key = keyOf(type);
    if (byKey.has(key)) continue;
    let local = type.name;
    if (taken.has(local)) local = `${pascalCase(ref.scope)}${type.name}`;
    for (let n = 2; taken.has(local); n++) local = `${pascalCase(ref.scope)}${type.name}${n}`;
    taken.add(local);
    byKey.set(key, local);
    const from = type.owner === null ? '../types.js' : type.owner === scope ? './types.js' : siblingModule(type.owner, 'types');
    const module = modules.get(from) ?? { names: [], aliases: {} };
    module.names.push(type.name);
    if (local !== type.name) module.aliases[type.name] = local;
    modules.set(from, module);
  }
  const imports = [...modules].map(([from, m]) => ({ names: m.names, from, typeOnly: true, ...(Object.keys(m.aliases).length > 0 && { aliases: m.aliases }) }));
  const local = (ref: TypeRef) => {
    const found = byKey.get(keyOf(resolveType(model, ref.scope, ref.name)));
    if (found === undefined) throw new Error(`internal: type ${ref.name} of ${ref.scope} was not imported`);
    return found;
  };
  return { imports, local };
}

/**
 * A service's migrations folder as seen from its host module, with a trailing `/` so that a URL
 * resolved against the module names the folder itself: `../../hooks/migrations/users/`.
 *
 * @param options the emit options (their layout)
 * @param service the service's name
 * @example migrationsUrl({ layout: defaultLayout }, 'users') // '../../hooks/migrations/users/'
 */
export function migrationsUrl({ layout }: EmitOptions, service: string): string {
  const host = outputPath(layout, outputFiles.serviceModule(service, 'host'));
  return `${posix.relative(posix.dirname(host), migrationsFolder(layout.hooksDir, service))}/`;
}

/** Import specifier of a service's hook module from its host module: `../../hooks/users.js`. */
export function hookModule({ layout }: EmitOptions, service: string): string {
  const host = outputPath(layout, outputFiles.serviceModule(service, 'host'));
  return relativeImport(host, hookFile(layout.hooksDir, service));
}
