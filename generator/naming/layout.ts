// Where a project keeps what meshspec writes: the output folder and the hooks folder, relative to
// the project root (`--out`, `--hooks`). Emitters write paths from it: entry points in the
// manifests (run from the project root), hook modules in imports and doc comments.
import { posix } from 'node:path';

export interface ProjectLayout {
  /** The output folder, e.g. `generated` or `build/gen`: normalized, with `/`, never the root itself. */
  readonly outDir: string;
  /** The hooks folder, e.g. `hooks` or `src/hooks`: normalized, with `/`; `` for the project root. */
  readonly hooksDir: string;
}

export const defaultLayout: ProjectLayout = { outDir: 'generated', hooksDir: 'hooks' };

/** Project-relative path of a file in the output folder (one of `outputFiles`). */
export function outputPath(layout: ProjectLayout, file: string): string {
  return `${layout.outDir}/${file}`;
}

/** Project-relative path of a service's hook file: `hooks/users.ts`. */
export function hookFile(hooksDir: string, service: string): string {
  return hooksDir === '' ? `${service}.ts` : `${hooksDir}/${service}.ts`;
}

/**
 * Project-relative folder of a service's SQL migrations, beside the hook files: `hooks/migrations/users`.
 * One folder for all of them keeps the hooks folder's `.ts` files the hook files alone.
 *
 * @param hooksDir the hooks folder (`` for the project root)
 * @param service the service's name
 * @example migrationsFolder('src/hooks', 'users') // 'src/hooks/migrations/users'
 */
export function migrationsFolder(hooksDir: string, service: string): string {
  return `${migrationsRoot(hooksDir)}/${service}`;
}

/**
 * Project-relative folder holding every service's migrations folder: `hooks/migrations`.
 *
 * @param hooksDir the hooks folder (`` for the project root)
 * @example migrationsRoot('') // 'migrations'
 */
export function migrationsRoot(hooksDir: string): string {
  return hooksDir === '' ? 'migrations' : `${hooksDir}/migrations`;
}

/** The migration meshspec creates in an empty migrations folder: a commented starter. */
export const FIRST_MIGRATION = '0001_init.sql';

/** The specifier by which project file `from` imports project file `to` (`.ts` as `.js`): `../../hooks/users.js`. */
export function relativeImport(from: string, to: string): string {
  const relative = posix.relative(posix.dirname(from), to).replace(/\.ts$/, '.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * The folder `meshspec build` writes by default: `build`, unless the generated or hooks folder is in
 * it (a layout like `build/gen`), which would mix sources into the output it empties.
 *
 * @param layout the project's folders
 * @example buildFolder(defaultLayout) // 'build'
 * @example buildFolder({ outDir: 'build/gen', hooksDir: 'src/hooks' }) // 'meshspec-build'
 */
export function buildFolder(layout: ProjectLayout): string {
  const inside = (folder: string) => folder === 'build' || folder.startsWith('build/');
  return inside(layout.outDir) || inside(layout.hooksDir) ? 'meshspec-build' : 'build';
}
