// generated/main.ts: the one entry of every workload (a service of its own, a group, the gateway).
// Production runs `node build/generated/main.js <workload>`; an image's ENTRYPOINT is that command
// without the name, which Kubernetes passes as the container's only argument.
import { groupOf, groupsOf } from '../../model/lookup.js';
import { compare } from '../../model/order.js';
import type { MeshModel } from '../../model/types.js';
import { buildFolder, outputFiles, relativeImport, type ProjectLayout } from '../../naming/index.js';
import { joinBlocks, quote } from './code.js';

/**
 * The workloads of `model` by name, each with its main module (relative to the output folder):
 * the gateway, every service not in a group, every group. Sorted by name.
 *
 * @param model the mesh
 * @example workloadEntries(shop) // [{ name: 'gateway', main: 'gateway/main.ts' }, { name: 'inventory', main: 'inventory/main.ts' }, ...]
 */
export function workloadEntries(model: MeshModel): { name: string; main: string }[] {
  const entries = [
    ...(model.gateway === null ? [] : [{ name: 'gateway', main: outputFiles.gatewayMain }]),
    ...model.services.filter((s) => groupOf(model, s.name) === null).map((s) => ({ name: s.name, main: outputFiles.serviceModule(s.name, 'main') })),
    ...groupsOf(model).map((g) => ({ name: g.name, main: outputFiles.groupMain(g.name) })),
  ];
  return entries.sort((a, b) => compare(a.name, b.name));
}

/**
 * The dispatcher: imports the main module of the workload named by the first argument or by
 * MESH_WORKLOAD (the argument wins); an unknown or missing name exits 2 listing the names.
 *
 * @param model the mesh
 * @param layout the project's folders (the comment names the compiled entry's path)
 * @example entryFile(shop, defaultLayout) // "...const workloads = new Map<string, () => Promise<unknown>>([\n  ['gateway', () => import('./gateway/main.js')],..."
 */
export function entryFile(model: MeshModel, layout: ProjectLayout): string {
  const entries = workloadEntries(model)
    .map(({ name, main }) => `  [${quote(name)}, () => import(${quote(relativeImport(outputFiles.entry, main))})],`)
    .join('\n');
  const table =
    '// Each workload\'s main module, imported only when chosen: a process loads one workload\'s code.\n' +
    `const workloads = new Map<string, () => Promise<unknown>>([\n${entries}\n]);\n`;
  const run =
    "// An empty argument or variable names nothing (a manifest's `value: ''`).\n" +
    "const name = process.argv[2] || process.env['MESH_WORKLOAD'] || undefined;\n" +
    'const start = name === undefined ? undefined : workloads.get(name);\n' +
    'if (start === undefined) {\n' +
    "  const which = name === undefined ? 'no workload named' : `unknown workload \\`${name}\\``;\n" +
    "  process.stderr.write(`${which}: pass one of ${[...workloads.keys()].join(', ')} as the first argument or in MESH_WORKLOAD\\n`);\n" +
    '  process.exit(2);\n' +
    '}\n' +
    'await start();\n';
  const about =
    `// The entry of every workload of the mesh: \`node ${buildFolder(layout)}/${layout.outDir}/main.js <workload>\` (after \`meshspec build\`)\n` +
    '// or MESH_WORKLOAD=<workload>; the argument wins. An unknown or missing name exits 2.\n';
  return joinBlocks([about + table, run]);
}
