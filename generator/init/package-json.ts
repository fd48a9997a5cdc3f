// package.json of a project: written new, or merged into the one a repository already has. A merge
// only adds (scripts, dependencies, `"type": "module"`) and never replaces a script the team wrote.
import type { MeshspecPackage } from '../package.js';
import { projectDevTools, projectScripts } from './scripts.js';

/** What a merge did and did not do, for the report. */
export interface PackageJsonChanges {
  addedScripts: string[];
  /** Scripts the project already has with another command: kept, and listed so the user can compare. */
  skippedScripts: { name: string; theirs: string; ours: string }[];
  /** `name@range`, dependencies then devDependencies. */
  addedDependencies: string[];
  /** The `type` the package had before it became `module` (undefined: none), or null when it already was. */
  typeWas: string | undefined | null;
}

export type PackageJsonResult =
  | { ok: true; content: string; changes: PackageJsonChanges }
  | { ok: false; problem: string };

type Json = Record<string, unknown>;

/** A new project's package.json. */
export function newPackageJson(name: string, meshspec: MeshspecPackage): string {
  const manifest: Json = { name, version: '0.1.0', private: true, type: 'module', engines: { node: '>=20' } };
  const merged = mergeInto(manifest, meshspec);
  return `${JSON.stringify(merged.manifest, null, 2)}\n`;
}

/** `existing` (the text of a project's package.json) with what meshspec needs added; its own indentation kept. */
export function mergePackageJson(existing: string, meshspec: MeshspecPackage): PackageJsonResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch (error) {
    return { ok: false, problem: `is not valid JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'is not a JSON object' };
  for (const key of ['scripts', 'dependencies', 'devDependencies'] as const) {
    const value = (parsed as Json)[key];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      return { ok: false, problem: `has a \`${key}\` that is not an object` };
    }
  }
  const { manifest, changes } = mergeInto(parsed as Json, meshspec);
  return { ok: true, content: `${JSON.stringify(manifest, null, indentationOf(existing))}\n`, changes };
}

function mergeInto(manifest: Json, meshspec: MeshspecPackage): { manifest: Json; changes: PackageJsonChanges } {
  const changes: PackageJsonChanges = { addedScripts: [], skippedScripts: [], addedDependencies: [], typeWas: null };
  // Generated code is ES modules (top-level await, import.meta): the package must say so.
  if (manifest['type'] !== 'module') {
    changes.typeWas = manifest['type'] as string | undefined;
    manifest['type'] = 'module';
  }
  const scripts = (manifest['scripts'] ??= {}) as Record<string, string>;
  for (const [name, command] of Object.entries(projectScripts)) {
    if (scripts[name] === undefined) {
      scripts[name] = command;
      changes.addedScripts.push(name);
    } else if (scripts[name] !== command) {
      changes.skippedScripts.push({ name, theirs: scripts[name], ours: command });
    }
  }
  const has = (pkg: string) => ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']
    .some((key) => typeof manifest[key] === 'object' && manifest[key] !== null && pkg in (manifest[key] as Json));
  const add = (key: 'dependencies' | 'devDependencies', pkg: string, range: string) => {
    if (has(pkg)) return; // a range or a `file:` tarball the team chose is theirs
    const deps = (manifest[key] ??= {}) as Record<string, string>;
    deps[pkg] = range;
    manifest[key] = sortedKeys(deps); // as npm keeps them
    changes.addedDependencies.push(`${pkg}@${range}`);
  };
  add('dependencies', 'meshspec', `^${meshspec.version}`);
  for (const tool of projectDevTools) add('devDependencies', tool, meshspec.devDependencies[tool] ?? 'latest');
  return { manifest, changes };
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The indentation of the first indented line (two spaces when there is none). */
function indentationOf(text: string): string | number {
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? 2;
}
