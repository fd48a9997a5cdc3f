// The content of a hook file meshspec creates for a service that has none: every endpoint, event
// handler and call fallback as a stub, typed against the generated interfaces, and an empty
// `routes` when the service mounts extra routes.
import type { MeshModel, ServiceModel } from '../model/types.js';
import { handlersModule, routesType } from './names.js';
import { andList, hookObjects, needed } from './objects.js';
import { routesDeclaration } from './routes.js';
import { joinStubs, serviceFallbacks, type StubLayout } from './stubs.js';
import { defaultStyle } from './style.js';

function header(service: ServiceModel): string[] {
  const fallbacks = serviceFallbacks(service).length > 0;
  const behind = [
    'endpoints',
    ...(service.subscribes.length ? ['events'] : []),
    ...(fallbacks ? ['call fallbacks'] : []),
    ...(service.healthChecks.length ? ['readiness checks'] : []),
    ...(service.extraRoutes ? ['extra routes'] : []),
  ];
  return [
    `// Hooks of the \`${service.name}\` service: the code behind its ${andList(behind)}.`,
    '// This file is yours. meshspec created it once and never overwrites it: when the spec gains an',
    `// endpoint${fallbacks ? ', event handler or fallback' : ' or event handler'}, \`meshspec generate\` only adds a stub for it at the end of the object,`,
    '// and it warns (without deleting anything) about members the spec no longer declares.',
  ];
}

function objectConst(name: string, type: string, stubs: string[]): string {
  if (stubs.length === 0) return `export const ${name}: ${type} = {};\n`;
  return `export const ${name}: ${type} = {\n${joinStubs(stubs, '\n', false)}};\n`;
}

/**
 * The hook file of a service that has none, in meshspec's own style.
 *
 * @param model - the mesh, for event payloads and the callees' endpoints named in stub comments
 * @param service - the service whose hook file it is
 * @param generatedImport - import path of the output folder as seen from the hooks folder, e.g. `../generated`
 * @example
 * createHookFile(model, orders, '../generated'); // '// Hooks of the `orders` service: ...'
 */
export function createHookFile(model: MeshModel, service: ServiceModel, generatedImport: string): string {
  const { eol, unit, quote } = defaultStyle;
  const layout: StubLayout = { indent: unit, unit, eol, quote };
  const objects = hookObjects(model, service).filter(needed);
  const types = [...objects.map((o) => o.type), ...(service.extraRoutes ? [routesType(service.name)] : [])];
  return [
    [
      ...header(service),
      '',
      `import type { ${types.join(', ')} } from '${handlersModule(generatedImport, service.name)}';`,
      `import { NotImplemented } from 'meshspec/runtime';`,
      '',
    ].join('\n'),
    ...objects.map((o) => objectConst(o.object, o.type, o.wanted.map((m) => m.render(layout)))),
    ...(service.extraRoutes ? [routesDeclaration(service, defaultStyle)] : []),
  ].join('\n');
}
