// The files the compiled code reads at run time, which a compiler does not emit: the .proto files a
// gRPC definition loads (`new URL('../proto', import.meta.url)` in generated/<svc>/definition.ts) and
// whatever the hooks folder holds besides TypeScript (the SQL migrations a host's storage names with
// `new URL('../../hooks/migrations/<svc>/', import.meta.url)`, and any file a hook reads beside itself).
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Project-relative folders and the rule for which of their files are copied beside the JavaScript. */
export interface AssetSource {
  folder: string;
  keep: (file: string) => boolean;
}

const isTypeScript = (file: string) => /\.(c|m)?tsx?$/.test(file);

/**
 * Where the run-time assets of a project laid out as `generatedDir` and `hooksDir` are.
 *
 * @param generatedDir the generated code's folder (`generated`)
 * @param hooksDir the hooks' folder (`hooks`)
 * @example assetSources('generated', 'hooks') // [{ folder: 'generated/proto', ... }, { folder: 'hooks', ... }]
 */
export function assetSources(generatedDir: string, hooksDir: string): AssetSource[] {
  return [
    { folder: path.join(generatedDir, 'proto'), keep: (file) => file.endsWith('.proto') },
    { folder: hooksDir, keep: (file) => !isTypeScript(file) },
  ];
}

/**
 * Copies every asset under `root` to the same relative path under `outDir`.
 *
 * @param root the project root
 * @param outDir the build folder (absolute)
 * @param sources where the assets are (assetSources)
 * @returns the project-relative paths copied, sorted
 * @example copyAssets('/app', '/app/build', assetSources('generated', 'hooks')) // ['generated/proto/shop/users/v1/users.proto', 'hooks/migrations/users/0001_init.sql', ...]
 */
export function copyAssets(root: string, outDir: string, sources: readonly AssetSource[]): string[] {
  const copied: string[] = [];
  for (const source of sources) {
    for (const file of filesUnder(root, source.folder)) {
      if (!source.keep(file)) continue;
      cpSync(path.join(root, file), path.join(outDir, file));
      copied.push(file.split(path.sep).join('/'));
    }
  }
  return copied.sort();
}

/**
 * Every file under `folder` (project-relative paths), node_modules and dot-folders skipped.
 *
 * @param root the project root
 * @param folder a folder relative to it; missing means none
 * @example filesUnder('/app', 'hooks') // ['hooks/users.ts', 'hooks/migrations/users/0001_init.sql']
 */
export function filesUnder(root: string, folder: string): string[] {
  const start = path.join(root, folder);
  if (!existsSync(start)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(start, { withFileTypes: true, recursive: true })) {
    const relative = path.relative(root, path.join(entry.parentPath, entry.name));
    if (relative.split(path.sep).some((part) => part === 'node_modules' || part.startsWith('.'))) continue;
    if (entry.isFile()) files.push(relative);
  }
  return files.sort();
}
