// The TypeScript compiler `meshspec build` uses: the project's own (its devDependency, the version
// its type-check runs with), else the one ts-morph bundles (a dependency of meshspec, always there).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The `typescript` module's API, whichever copy provides it. */
export type TypeScriptApi = typeof import('typescript');

/**
 * Loads the TypeScript compiler the project at `root` resolves, falling back to ts-morph's.
 *
 * @param root the project root (its package.json's folder)
 * @example const ts = await loadTypeScript(process.cwd()); ts.version // "6.0.3"
 */
export async function loadTypeScript(root: string): Promise<TypeScriptApi> {
  let resolved: string | null = null;
  try {
    resolved = createRequire(path.join(root, 'package.json')).resolve('typescript');
  } catch {
    // No typescript in the project: ts-morph's below.
  }
  if (resolved !== null) {
    const loaded = (await import(pathToFileURL(resolved).href)) as { default?: TypeScriptApi } & TypeScriptApi;
    return loaded.default ?? loaded;
  }
  return (await import('ts-morph')).ts as unknown as TypeScriptApi;
}
