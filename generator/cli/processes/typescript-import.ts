// The `--import` a child needs to run a generated entry point: the entry points, and the hooks they
// load, are TypeScript in meshspec's repository and in an installed project alike. tsx is one of
// meshspec's own dependencies (package.json `dependencies`, not dev), so it is resolved from here,
// not from the project, which need not depend on it (npm may nest it under node_modules/meshspec).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Node's arguments that make a child process import `.ts` files through tsx's loader.
 *
 * @example typeScriptNodeArgs() // ['--import', 'file:///…/node_modules/tsx/dist/loader.mjs']
 */
export function typeScriptNodeArgs(): string[] {
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}
