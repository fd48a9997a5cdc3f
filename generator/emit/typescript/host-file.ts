// generated/<svc>/host.ts: ties the service's definition to the user's hooks and its clients.
import type { MeshModel, ServiceModel } from '../../model/types.js';
import type { EmitOptions } from '../types.js';
import { code, importBlock, jsdoc, joinBlocks, printLiteral, quote } from './code.js';
import { RUNTIME_MODULES, serviceNames, siblingModule } from '../../naming/index.js';
import { hookModule, migrationsUrl } from './names.js';
import { compensationsOf, orchestratedSagasOf } from '../../model/lookup.js';
import { upgradesOf } from '../../model/upgrades.js';
import { calledServices, sagaNames } from './saga-file.js';

export function hostFile(model: MeshModel, service: ServiceModel, options: EmitOptions): string {
  const n = serviceNames(service.name);
  const subscribes = service.subscribes.length > 0;
  const fallbacks = service.calls.some((c) => c.fallbacks.length > 0);
  // Only a subscriber to an event in a rollout has `upgrades` (and `<Svc>Upgrades` in handlers.ts).
  const upgrades = upgradesOf(model, service).length > 0;
  // Only a participant with a step to undo has `compensations` (and `<Svc>Compensations` in handlers.ts).
  const compensations = compensationsOf(model, service.name).length > 0;
  const routes = service.extraRoutes;
  const healthChecks = service.healthChecks.length > 0;
  const sagaServices = calledServices(orchestratedSagasOf(service));
  const imports = importBlock([
    { names: service.storage === null ? [] : ['fileURLToPath'], from: 'node:url' },
    { names: ['ServiceHostOptions'], from: RUNTIME_MODULES.ServiceHostOptions, typeOnly: true },
    {
      names: [
        'handlers',
        ...(subscribes ? ['subscriptions'] : []),
        ...(upgrades ? ['upgrades'] : []),
        ...(compensations ? ['compensations'] : []),
        ...(fallbacks ? ['fallbacks'] : []),
        ...(healthChecks ? ['healthChecks'] : []),
        ...(routes ? ['routes'] : []),
      ],
      from: hookModule(options, service.name),
    },
    { names: ['events'], from: '../events.js' },
    { names: ['schemas'], from: '../schemas.js' },
    ...service.calls.flatMap((c) => [
      { names: [serviceNames(c.service).createClient], from: siblingModule(c.service, 'client') },
      { names: [serviceNames(c.service).definition], from: siblingModule(c.service, 'definition') },
    ]),
    // A saga may call the service's own endpoints; other callees' clients come with its `calls`.
    { names: sagaServices.includes(service.name) ? [n.createClient] : [], from: './client.js' },
    { names: [n.definition], from: './definition.js' },
    { names: sagaServices.length > 0 ? [sagaNames(service.name).sagas] : [], from: './sagas.js' },
    {
      names: [
        n.clients,
        n.handlers,
        ...(subscribes ? [n.subscriptions] : []),
        ...(upgrades ? [n.upgrades] : []),
        ...(compensations ? [n.compensations] : []),
        ...(fallbacks ? [n.fallbacks] : []),
        ...(healthChecks ? [n.healthChecks] : []),
        ...(routes ? [n.routes] : []),
      ],
      from: './handlers.js',
      typeOnly: true,
    },
  ]);

  const callees = Object.fromEntries(service.calls.map((c) => [c.service, code(serviceNames(c.service).definition)]));
  const clients = service.calls.map(
    (c) =>
      `      ${c.service}: ${serviceNames(c.service).createClient}(transportFor('${c.service}', '${c.transport}'), call),\n`,
  );
  // `satisfies` checks the hooks against the generated interfaces even when the hook file leaves
  // its exports unannotated: ServiceHostOptions itself only knows them as `object`.
  const body =
    jsdoc(`Everything the runtime needs to run ${service.name}: its definition, the user's hooks and its clients.`) +
    `export function ${n.host}(): ServiceHostOptions {\n` +
    '  return {\n' +
    `    definition: ${n.definition},\n` +
    `    handlers: handlers satisfies ${n.handlers},\n` +
    (subscribes ? `    subscriptions: subscriptions satisfies ${n.subscriptions},\n` : '') +
    (upgrades ? `    upgrades: upgrades satisfies ${n.upgrades},\n` : '') +
    (compensations ? `    compensations: compensations satisfies ${n.compensations},\n` : '') +
    (fallbacks ? `    fallbacks: fallbacks satisfies ${n.fallbacks},\n` : '') +
    (healthChecks ? `    healthChecks: healthChecks satisfies ${n.healthChecks},\n` : '') +
    (routes ? `    routes: routes satisfies ${n.routes},\n` : '') +
    '    schemas,\n' +
    '    events,\n' +
    `    callees: ${printLiteral(callees, 4, 13)},\n` +
    (clients.length === 0
      ? `    createClients: (): ${n.clients} => ({}),\n`
      : `    createClients: (transportFor, call): ${n.clients} => ({\n${clients.join('')}    }),\n`) +
    storageOption(service, options) +
    sagasOption(service, sagaServices) +
    '  };\n' +
    '}\n';
  return joinBlocks([imports, body]);
}

/**
 * The database of a service with storage: its migrations folder, absolute and found from the host
 * module itself (so the service finds it from any working directory), and the pool size; nothing
 * for a service without storage.
 */
function storageOption(service: ServiceModel, options: EmitOptions): string {
  if (service.storage === null) return '';
  const folder = `fileURLToPath(new URL(${quote(migrationsUrl(options, service.name))}, import.meta.url))`;
  return `    storage: { migrationsDir: ${folder}, poolSize: ${service.storage.poolSize} },\n`;
}

/**
 * The sagas of a service that has some: `<svc>Sagas` given the clients one attempt of a step calls
 * through, each over the transport the service's `calls` name (its own over HTTP, which every service
 * serves); nothing for a service without sagas.
 */
function sagasOption(service: ServiceModel, sagaServices: readonly string[]): string {
  if (sagaServices.length === 0) return '';
  const transport = (callee: string) => service.calls.find((c) => c.service === callee)?.transport ?? 'http';
  const clients = sagaServices.map(
    (callee) => `          ${callee}: ${serviceNames(callee).createClient}(transportFor('${callee}', '${transport(callee)}'), call),\n`,
  );
  return (
    '    sagas: (transportFor, callOptions) =>\n' +
    `      ${sagaNames(service.name).sagas}((step) => {\n` +
    '        const call = callOptions(step);\n' +
    `        return {\n${clients.join('')}        };\n` +
    '      }),\n'
  );
}
