// The gateway's generated files: `gateway/routes.ts` (the GatewayConfig literal the runtime proxy
// reads) and `gateway/main.ts` (the gateway as its own process). Nothing when the spec has no gateway.
import type { EmittedFile, GatewayModel, MeshModel, ServiceModel } from '../../model/types.js';
import type { Emitter } from '../types.js';

export const emitGateway: Emitter = (model) => {
  const gateway = model.gateway;
  if (gateway === null) return [];
  const services = routedServices(model, gateway);
  const sources = [...new Set([gateway.source.file, ...services.map((s) => s.file)])].sort();
  return [
    { path: 'gateway/routes.ts', content: routesFile(model.name, gateway, services), sources },
    { path: 'gateway/main.ts', content: MAIN_FILE, sources: [gateway.source.file] },
  ] satisfies EmittedFile[];
};

/** The services some route forwards to, sorted by name. */
function routedServices(model: MeshModel, gateway: GatewayModel): ServiceModel[] {
  const names = [...new Set(gateway.routes.map((r) => r.service))].sort();
  return names.map((name) => {
    const service = model.services.find((s) => s.name === name);
    if (!service) throw new Error(`internal: gateway route to unknown service ${name}`);
    return service;
  });
}

function routesFile(mesh: string, gateway: GatewayModel, services: ServiceModel[]): string {
  // Routes keep the model's order (longest prefix first): the runtime takes the first match.
  const routes = gateway.routes.map(
    (r) => `    { prefix: ${str(r.prefix)}, service: ${str(r.service)}, rewrite: ${str(r.rewrite)} },\n`,
  );
  const ports = services.map((s) => `    ${key(s.name)}: { httpPort: ${s.ports.http} },\n`);
  return (
    `import type { GatewayConfig } from 'meshspec/runtime';\n` +
    `\n` +
    `export const gatewayConfig: GatewayConfig = {\n` +
    `  mesh: ${str(mesh)},\n` +
    `  port: ${gateway.port},\n` +
    `  timeoutMs: ${gateway.timeoutMs},\n` +
    `  bodyLimitBytes: ${gateway.bodyLimitBytes},\n` +
    block('routes', '[', ']', routes) +
    block('services', '{', '}', ports) +
    `};\n`
  );
}

function block(name: string, open: string, close: string, lines: string[]): string {
  return lines.length === 0 ? `  ${name}: ${open}${close},\n` : `  ${name}: ${open}\n${lines.join('')}  ${close},\n`;
}

const MAIN_FILE =
  `import { runGateway } from 'meshspec/runtime';\n` +
  `import { gatewayConfig } from './routes.js';\n` +
  `\n` +
  `await runGateway(gatewayConfig);\n`;

/** A single-quoted TS string literal. */
function str(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** An object key: bare when it is an identifier (service names are), else quoted. */
function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}
