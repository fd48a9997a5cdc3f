// The content of a hook file meshspec creates for a service that has none: every endpoint and
// event handler as a stub, typed against the generated interfaces.
import type { MeshModel, ServiceModel } from '../model/types.js';
import { handlersModule, handlersType, subscriptionsType } from './names.js';
import { endpointStub, joinStubs, subscriptionStub, type StubLayout } from './stubs.js';
import { defaultStyle } from './style.js';

function header(service: ServiceModel): string[] {
  return [
    `// Hooks of the \`${service.name}\` service: the code behind its endpoints${service.subscribes.length ? ' and events' : ''}.`,
    '// This file is yours. meshspec created it once and never overwrites it: when the spec gains an',
    '// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,',
    '// and it warns (without deleting anything) about members the spec no longer declares.',
  ];
}

function objectConst(name: string, type: string, stubs: string[]): string {
  if (stubs.length === 0) return `export const ${name}: ${type} = {};\n`;
  return `export const ${name}: ${type} = {\n${joinStubs(stubs, '\n', false)}};\n`;
}

export function createHookFile(model: MeshModel, service: ServiceModel, generatedImport: string): string {
  const { eol, unit, quote } = defaultStyle;
  const layout: StubLayout = { indent: unit, unit, eol, quote };
  const subscribes = service.subscribes.length > 0;
  const types = [handlersType(service.name), ...(subscribes ? [subscriptionsType(service.name)] : [])];
  const parts = [
    [
      ...header(service),
      '',
      `import type { ${types.join(', ')} } from '${handlersModule(generatedImport, service.name)}';`,
      `import { NotImplemented } from 'meshspec/runtime';`,
      '',
    ].join('\n'),
    objectConst(
      'handlers',
      handlersType(service.name),
      service.endpoints.map((e) => endpointStub(service.name, e, layout)),
    ),
  ];
  if (subscribes) {
    parts.push(
      objectConst(
        'subscriptions',
        subscriptionsType(service.name),
        service.subscribes.map((s) => subscriptionStub(model, service.name, s, layout)),
      ),
    );
  }
  return parts.join('\n');
}
