// Fresh module code for a restarted service. Node's ESM cache never forgets a module, so a service
// restarted in the same process would run its old code. A resolve hook (module.register) tags every
// file under the project folders named here (generated/ and hooks/) with the version of the module
// that imports it (`?meshspec-v=<n>`): importing `generated/orders/host.ts?meshspec-v=3` loads a fresh
// graph of the project's files, while everything else (meshspec's runtime, node_modules) resolves to
// the modules already loaded, so the memory bus, its subscribers and the other services stay shared.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The query parameter carrying a module's version. */
export const VERSION_PARAM = 'meshspec-v';

// Runs on Node's hooks thread, where the project's TypeScript loader is not: plain JavaScript.
const resolveHook = `
let roots = [];
export function initialize(data) { roots = data.roots; }
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (!parent || !parent.includes('${VERSION_PARAM}=') || !result.url.startsWith('file:')) return result;
  const version = new URL(parent).searchParams.get('${VERSION_PARAM}');
  const url = new URL(result.url);
  if (!version || url.searchParams.has('${VERSION_PARAM}') || !roots.some((root) => url.pathname.startsWith(root))) return result;
  url.searchParams.set('${VERSION_PARAM}', version);
  return { ...result, url: url.href };
}
`;

let registeredRoots: string | null = null;

/**
 * Registers the version hook for the given folders (absolute paths), once per process.
 *
 * @param folders - the folders whose files a versioned import loads afresh (the output and hooks folders)
 * @example
 * enableModuleVersions(['/app/generated', '/app/hooks']);
 * const { ordersHost } = await importVersion('/app/generated/orders/host.ts', 2);
 */
export function enableModuleVersions(folders: readonly string[]): void {
  const roots = folders.map((folder) => `${pathToFileURL(folder).pathname.replace(/\/$/, '')}/`);
  const key = roots.join('\n');
  if (registeredRoots === key) return;
  if (registeredRoots !== null) throw new Error('the module version hook is already registered for other folders');
  register(`data:text/javascript,${encodeURIComponent(resolveHook)}`, { data: { roots } });
  registeredRoots = key;
}

/**
 * Imports `file` at `version`: a version not imported before loads the file and every project file it
 * imports afresh (after enableModuleVersions).
 *
 * @param file - absolute path of a module under one of the registered folders
 * @param version - any number; the same number answers the modules already loaded
 * @example
 * const schemas = await importVersion('/app/generated/schemas.ts', 4);
 */
export async function importVersion(file: string, version: number): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file);
  url.searchParams.set(VERSION_PARAM, String(version));
  return (await import(url.href)) as Record<string, unknown>;
}
