// generated/<group>/main.ts: the services of a `deploy.groups` entry as one process (one container).
// Their calls to each other stay in the process (runServices shares one co-located registry among
// them); calls to any other service go over the network as from a service of its own.
import type { GroupModel, MeshModel } from '../../model/types.js';
import { outputFiles, relativeImport, RUNTIME_MODULES, serviceNames } from '../../naming/index.js';
import { importBlock, joinBlocks, printLiteral } from './code.js';
import { runtimeDefaults } from './runtime-defaults.js';

/**
 * The entry point of `group`: `runServices` with the host of every member, in the group's order.
 *
 * @param model the mesh (its runtime settings are the process's defaults)
 * @param group the group to run
 * @example groupMainFile(model, { name: 'core', services: ['inventory', 'users'], ... }) // "...await runServices([inventoryHost(), usersHost()], {..."
 */
export function groupMainFile(model: MeshModel, group: GroupModel): string {
  const file = outputFiles.groupMain(group.name);
  const hosts = group.services.map((service) => ({ service, host: serviceNames(service).host }));
  const imports = importBlock([
    { names: ['runServices'], from: RUNTIME_MODULES.runServices },
    ...hosts.map(({ service, host }) => ({ names: [host], from: relativeImport(file, outputFiles.serviceModule(service, 'host')) })),
  ]);
  const list = `[${hosts.map(({ host }) => `${host}()`).join(', ')}]`;
  const run =
    `// ${group.services.join(', ')} in one process: their calls to each other skip the network (MESH_COLOCATE=off\n` +
    "// sends them over it). The spec's runtime settings are defaults: BODY_LIMIT, SHUTDOWN_GRACE, EVENT_BUS\n" +
    "// and EVENT_BUS_URL in the environment win; each service listens on its spec ports (PORT and GRPC_PORT\n" +
    '// apply to a process of one service only).\n' +
    `await runServices(${list}, ${printLiteral(runtimeDefaults(model), 0, 'await runServices('.length + list.length + 2)});\n`;
  return joinBlocks([imports, run]);
}
