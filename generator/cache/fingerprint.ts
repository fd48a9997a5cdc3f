// What identifies the generator for its caches: meshspec's version, its own code (the generator and
// common/, as sources here or as dist/ installed, so that a change made in development without a new
// version never meets a cache of the code before) and the packages whose behaviour shapes the output.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findMeshspecPackage } from '../package.js';
import { digest } from './folder.js';

/** yaml writes the YAML outputs, ajv judges examples, ts-morph reads hook files. */
const PACKAGES = ['yaml', 'ajv', 'ts-morph'];

const CODE = /\.(ts|js|cjs|json)$/;

let fingerprint: string | undefined;

/** `<version>+<digest of the generator's code>+yaml@…,ajv@…,ts-morph@…`, computed once per process. */
export function generatorFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const generator = path.resolve(import.meta.dirname, '..');
  const code = [generator, path.resolve(generator, '../common')].flatMap((dir) => codeFiles(dir));
  const require = createRequire(import.meta.url);
  const packages = PACKAGES.map((name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`);
  fingerprint = `${findMeshspecPackage().version}+${digest(...code)}+${packages.join(',')}`;
  return fingerprint;
}

/** Each code file below `dir` as its path and text, in a fixed order (declaration files say nothing new). */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && CODE.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
    .map((file) => `${path.relative(dir, file)}\n${readFileSync(file, 'utf8')}`);
}
