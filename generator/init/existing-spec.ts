// The spec a folder already has: init never writes over one, nor beside one (a second mesh.yaml or
// services next to someone's spec would change what their spec means).
import { readdirSync } from 'node:fs';
import path from 'node:path';

const YAML_FILE = /\.ya?ml$/;

/** The spec files in `root/specDir` (its top and services/), project-relative, sorted. */
export function existingSpecFiles(root: string, specDir: string): string[] {
  return [specDir, `${specDir}/services`].flatMap((dir) => yamlFiles(root, dir)).sort();
}

function yamlFiles(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && YAML_FILE.test(e.name))
      .map((e) => `${dir}/${e.name}`);
  } catch {
    return []; // no such folder: nothing there
  }
}
