// generated/stack.ts: every service host and the gateway config, for `meshspec dev` (runStack).
import type { MeshModel } from '../../model/types.js';
import { code, importBlock, jsdoc, joinBlocks, printLiteral } from './code.js';
import { outputFiles, relativeImport, RUNTIME_MODULES, serviceNames } from '../../naming/index.js';
import { runtimeDefaults } from './runtime-defaults.js';

export function stackFile(model: MeshModel): string {
  const hosts = model.services.map((s) => serviceNames(s.name).host);
  const imports = importBlock([
    { names: ['DevStack'], from: RUNTIME_MODULES.DevStack, typeOnly: true },
    { names: model.gateway ? ['gatewayOpenApi'] : [], from: relativeImport(outputFiles.stack, outputFiles.gatewayOpenApi) },
    { names: model.gateway ? ['gatewayConfig'] : [], from: relativeImport(outputFiles.stack, outputFiles.gatewayRoutes) },
    ...model.services.map((s) => ({ names: [serviceNames(s.name).host], from: relativeImport(outputFiles.stack, outputFiles.serviceModule(s.name, 'host')) })),
  ]);
  // Host factories, not hosts: runStack builds each one when it starts that service.
  const stack = {
    mesh: model.name,
    services: hosts.map(code),
    // The gateway serves the public API's document at /openapi.json, as its own process does.
    gateway: code(model.gateway ? '{ ...gatewayConfig, openapi: gatewayOpenApi }' : 'null'),
    runtime: runtimeDefaults(model),
  };
  const body =
    jsdoc(`The whole ${model.name} mesh in one process, for \`meshspec dev\`.`) +
    `export const stack: DevStack = ${printLiteral(stack, 0, 0, true)};\n`;
  return joinBlocks([imports, body]);
}
