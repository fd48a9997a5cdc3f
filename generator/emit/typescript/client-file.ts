// generated/<svc>/client.ts: the typed client other services (and tests) use to call <svc>.
import type { EndpointModel, MeshModel, ServiceModel } from '../../model/types.js';
import { WIDTH, importBlock, jsdoc, joinBlocks, methodSignature } from './code.js';
import { serviceNames } from '../../naming/index.js';
import { scopedTypeImports } from './names.js';
import { endpointDoc, outputType } from './signatures.js';

function clientMethod(endpoint: EndpointModel): string {
  const head = `    ${endpoint.name}: (input, options) =>`;
  const call = `transport.call(endpoints.${endpoint.name}, input, { ...defaults, ...options }) as Promise<${outputType(endpoint)}>,`;
  const flat = `${head} ${call}`;
  return flat.length <= WIDTH ? `${flat}\n` : `${head}\n      ${call}\n`;
}

export function clientFile(model: MeshModel, service: ServiceModel): string {
  const n = serviceNames(service.name);
  const typeNames = service.endpoints.flatMap((e) => (e.output ? [e.input, e.output.type] : [e.input]));
  const imports = importBlock([
    { names: ['CallOptions', 'ClientTransport'], from: 'meshspec/runtime', typeOnly: true },
    ...scopedTypeImports(model, service.name, typeNames),
    { names: service.endpoints.length > 0 ? [n.definition] : [], from: './definition.js' },
  ]);

  const members = service.endpoints.map(
    (e) =>
      jsdoc(endpointDoc(e), 2) +
      methodSignature(e.name, [`input: ${e.input}`, 'options?: CallOptions'], `Promise<${outputType(e)}>`),
  );
  const clientInterface =
    jsdoc(`Typed client of ${service.name}: rejects with a MeshError carrying the callee's error code.`) +
    `export interface ${n.client} ${members.length === 0 ? '{}' : `{\n${members.join('\n')}}`}\n`;

  const lookup =
    service.endpoints.length > 0 &&
    '// Endpoint descriptors by name, resolved once at load rather than on every call.\n' +
      'const endpoints = {\n' +
      service.endpoints.map((e, i) => `  ${e.name}: ${n.definition}.endpoints[${i}],\n`).join('') +
      '};\n';

  const methods = service.endpoints.map(clientMethod).join('');
  const factory =
    jsdoc(`A client of ${service.name} over \`transport\`; \`defaults\` apply to every call, per-call options win.`) +
    `export function ${n.createClient}(transport: ClientTransport, defaults: CallOptions = {}): ${n.client} {\n` +
    (methods === '' ? '  return {};\n' : `  return {\n${methods}  };\n`) +
    '}\n';
  return joinBlocks([imports, clientInterface, lookup, factory]);
}
