// The gateway's generated files: `gateway/routes.ts` (the GatewayConfig literal the runtime proxy
// reads) and `gateway/main.ts` (the gateway as its own process). Nothing when the spec has no gateway.
import type { GatewayModel, MeshModel, ServiceModel } from '../../model/types.js';
import { outputFiles, relativeImport, RUNTIME_MODULES } from '../../naming/index.js';
import { buildGatewayDocument, gatewayFront } from '../openapi/gateway-document.js';
import { importBlock, joinBlocks, printLiteral, type Literal } from '../typescript/code.js';
import type { EmittedFile, Emitter } from '../types.js';

export const emitGateway: Emitter = (model) => {
  const gateway = model.gateway;
  if (gateway === null) return [];
  const services = routedServices(model, gateway);
  const sources = [...new Set([gateway.source.file, ...services.map((s) => s.file)])].sort();
  return [
    { path: outputFiles.gatewayRoutes, content: routesFile(model.name, gateway, services), sources },
    { path: outputFiles.gatewayMain, content: mainFile(), sources: [gateway.source.file] },
    { path: outputFiles.gatewayOpenApi, content: openApiFile(model), sources },
  ] satisfies EmittedFile[];
};

/** The services some route forwards to, and the one a delegated auth asks, sorted by name. */
function routedServices(model: MeshModel, gateway: GatewayModel): ServiceModel[] {
  const delegate = gateway.auth && 'delegate' in gateway.auth ? [gateway.auth.delegate.service] : [];
  const names = [...new Set([...gateway.routes.map((r) => r.service), ...delegate])].sort();
  return names.map((name) => {
    const service = model.services.find((s) => s.name === name);
    if (!service) throw new Error(`internal: gateway route to unknown service ${name}`);
    return service;
  });
}

function routesFile(mesh: string, gateway: GatewayModel, services: ServiceModel[]): string {
  const config = {
    mesh,
    port: gateway.port,
    ...(gateway.metricsPort !== undefined && { metricsPort: gateway.metricsPort }),
    timeoutMs: gateway.timeoutMs,
    bodyLimitBytes: gateway.bodyLimitBytes,
    // The security settings only where the spec sets them: the runtime's defaults are the rest.
    ...(gateway.trustedProxies !== undefined && { trustedProxies: gateway.trustedProxies }),
    ...(gateway.limits && { limits: gateway.limits }),
    ...(gateway.auth && { auth: gateway.auth }),
    ...(gateway.rateLimit && { rateLimit: gateway.rateLimit }),
    ...(gateway.cors && { cors: gateway.cors }),
    // Routes keep the model's order (longest prefix first): the runtime takes the first match.
    routes: gateway.routes.map((r) => ({
      prefix: r.prefix,
      service: r.service,
      rewrite: r.rewrite,
      ...(r.public === true && { public: true }),
      ...(r.rateLimit !== undefined && { rateLimit: r.rateLimit }),
      // Always written when known (derived or listed): the gateway answers 405 for the others.
      ...(r.methods !== undefined && { methods: r.methods }),
      ...(r.bodyLimitBytes !== undefined && { bodyLimitBytes: r.bodyLimitBytes }),
      ...(r.timeoutMs !== undefined && { timeoutMs: r.timeoutMs }),
    })),
    services: Object.fromEntries(services.map((s) => [s.name, { httpPort: s.ports.http }])),
  };
  return joinBlocks([
    importBlock([{ names: ['GatewayConfig'], from: RUNTIME_MODULES.GatewayConfig, typeOnly: true }]),
    `export const gatewayConfig: GatewayConfig = ${printLiteral(config, 0, 0, true)};\n`,
  ]);
}

function mainFile(): string {
  return joinBlocks([
    importBlock([
      { names: ['runGateway'], from: RUNTIME_MODULES.runGateway },
      { names: ['gatewayOpenApi'], from: relativeImport(outputFiles.gatewayMain, outputFiles.gatewayOpenApi) },
      { names: ['gatewayConfig'], from: relativeImport(outputFiles.gatewayMain, outputFiles.gatewayRoutes) },
    ]),
    '// The public API as clients see it, served at /openapi.json.\nawait runGateway({ ...gatewayConfig, openapi: gatewayOpenApi });\n',
  ]);
}

/** The merged OpenAPI document as a module: the gateway serves it without reading a file. */
function openApiFile(model: MeshModel): string {
  const document = buildGatewayDocument(model, gatewayFront(model));
  return `/** The mesh's public API through its gateway (OpenAPI 3.1): the services' paths under the routes' prefixes. */\nexport const gatewayOpenApi = ${printLiteral(document as unknown as Literal, 0, 0, true)};\n`;
}
