// meshspec's own package: where it is installed (for the example it ships), its version (the
// dependency a new project gets) and its development tool ranges (the project's devDependencies).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `init` needs to know about the meshspec package it runs from. */
export interface MeshspecPackage {
  /** The folder holding meshspec's package.json (and, for `--example`, its spec/ and hooks/). */
  root: string;
  version: string;
  /** meshspec's own devDependencies: a project gets the same ranges of typescript, @types/node, vitest. */
  devDependencies: Readonly<Record<string, string>>;
}

/**
 * Finds meshspec's package by walking up from `from` (default: this module's folder) to the first
 * package.json named `meshspec`. Walking, rather than a fixed `../..`, finds it both from the source
 * checkout (generator/) and from an installed package (dist/generator/init/).
 */
export function findMeshspecPackage(from: string = path.dirname(fileURLToPath(import.meta.url))): MeshspecPackage {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = readManifest(path.join(dir, 'package.json'));
    if (manifest?.name === 'meshspec' && typeof manifest.version === 'string') {
      return { root: dir, version: manifest.version, devDependencies: stringRecord(manifest.devDependencies) };
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of meshspec above ${from}`);
  }
}

function readManifest(file: string): { name?: unknown; version?: unknown; devDependencies?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown; devDependencies?: unknown };
  } catch {
    return undefined; // absent or unreadable: keep walking
  }
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
