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

/** The specifier by which project file `from` imports project file `to` (`.ts` as `.js`): `../../hooks/users.js`. */
export function relativeImport(from: string, to: string): string {
  const relative = posix.relative(posix.dirname(from), to).replace(/\.ts$/, '.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
