// generated/<svc>/main.ts: the service as its own process (containers, `node generated/<svc>/main.ts`).
import type { MeshModel, ServiceModel } from '../../model/types.js';
import { importBlock, joinBlocks, printLiteral } from './code.js';
import { RUNTIME_MODULES, serviceNames } from '../../naming/index.js';
import { runtimeDefaults } from './runtime-defaults.js';

export function mainFile(model: MeshModel, service: ServiceModel): string {
  const host = serviceNames(service.name).host;
  const imports = importBlock([
    { names: ['runServices'], from: RUNTIME_MODULES.runServices },
    { names: [host], from: './host.js' },
  ]);
  const run =
    "// The spec's runtime settings are defaults: BODY_LIMIT, SHUTDOWN_GRACE, EVENT_BUS and EVENT_BUS_URL\n" +
    '// in the environment win.\n' +
    `await runServices([${host}()], ${printLiteral(runtimeDefaults(model), 0, 20 + host.length)});\n`;
  return joinBlocks([imports, run]);
}
