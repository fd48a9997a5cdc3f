// The examples `init --example NAME` knows, and the starter it writes without one.
import { shopTemplate } from './example-shop.js';
import type { MeshspecPackage } from '../package.js';
import { starterTemplate } from './starter.js';
import type { ProjectTemplate } from './template.js';

/** Example name -> its template, read from the meshspec package. */
export const examples: Readonly<Record<string, (meshspec: MeshspecPackage) => ProjectTemplate>> = {
  shop: (meshspec) => shopTemplate(meshspec.root),
};

/** The template for `--example` (undefined: the starter, for a mesh named `mesh`). */
export function templateFor(example: string | undefined, mesh: string, meshspec: MeshspecPackage): ProjectTemplate {
  if (example === undefined) return starterTemplate(mesh);
  const load = examples[example];
  if (!load) throw new Error(`unknown example ${example}`); // the CLI checks the name first
  return load(meshspec);
}
