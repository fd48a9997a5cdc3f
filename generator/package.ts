// meshspec's own package: its root folder and package.json, found from this module's file so that
// the answer is the same from the TypeScript sources (generator/) and from the build (dist/generator/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface PackageInfo {
  /** The folder holding meshspec's package.json. */
  root: string;
  version: string;
  devDependencies: Readonly<Record<string, string>>;
}

let cached: PackageInfo | undefined;

/** meshspec's package.json, read once. */
export function meshspecPackage(): PackageInfo {
  if (cached) return cached;
  let dir = import.meta.dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string; devDependencies?: Record<string, string> };
      if (json.name === 'meshspec') {
        cached = { root: dir, version: json.version ?? '0.0.0', devDependencies: json.devDependencies ?? {} };
        return cached;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`internal: meshspec's package.json not found above ${import.meta.dirname}`);
    dir = parent;
  }
}
