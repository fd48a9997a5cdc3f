#!/usr/bin/env node
// Builds the package: the runtime, the generator and what they share, compiled to JavaScript with
// declaration files in dist/, and the JSON Schema published beside them for editors. Runs before
// `npm pack` (prepack) and first in `npm test`, whose package tests install what it builds. Inside
// this repository the CLI, tsc, tsx and vitest work from the TypeScript sources, so developing
// meshspec needs no build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const schema = path.join(root, 'generator/language/schema/meshspec.schema.json');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
} catch {
  // tsc has printed its errors.
  console.error('build failed: the TypeScript errors above must be fixed');
  process.exit(1);
}
// The generator reads the schema next to its own module; editors read it at dist/meshspec.schema.json.
mkdirSync(path.join(dist, 'generator/language/schema'), { recursive: true });
copyFileSync(schema, path.join(dist, 'generator/language/schema/meshspec.schema.json'));
copyFileSync(schema, path.join(dist, 'meshspec.schema.json'));
// The spec documents' validators, compiled ahead of time so that `generate` need not run ajv's compiler.
const { standaloneValidators } = await import(pathToFileURL(path.join(dist, 'generator/language/schema-validators.js')).href);
writeFileSync(path.join(dist, 'generator/language/schema/validators.cjs'), standaloneValidators());
// The dev dashboard's page (plain HTML, CSS and JavaScript, no build step), served by the dashboard
// from page/ beside its module: copied as it is, without the type-checking config of its sources.
const page = path.join(root, 'runtime/dev/dashboard/page');
if (existsSync(page)) {
  cpSync(page, path.join(dist, 'runtime/dev/dashboard/page'), {
    recursive: true,
    filter: (source) => path.basename(source) !== 'tsconfig.json' && !source.endsWith('.d.ts'),
  });
}
