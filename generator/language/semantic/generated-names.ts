// Names the generator derives must not collide: with each other, with the user's names, or with the
// names targets reserve. Every name here comes from generator/naming, the module the emitters print
// from, so a clash is reported on the spec before anything is generated, naming what it collides with.
import { isBuiltinError, runtimeErrorStatus } from '../../../common/errors.js';
import {
  enumValueName, enumValuesName, enumZeroName, meshEventsName, outputFiles, plannedFiles, protoServiceName, RESERVED_OBJECTS, rpcMessageNames,
  RUNTIME_ERROR_CLASSES, RUNTIME_IMPORTS, serviceNames, TYPESCRIPT_GLOBALS, type ServiceModule,
} from '../../naming/index.js';
import type { SpecIndex, TypeDeclaration } from '../collect.js';
import type { SpecPath } from '../load.js';
import type { Reporter } from './reporter.js';

export function checkGeneratedNames(index: SpecIndex, report: Reporter): void {
  checkTypeScriptNames(index, report);
  checkErrorNames(index, report);
  checkProtoNames(index, report);
  checkFiles(index, report);
  checkKubernetesNames(index, report);
}

/** How a declaration says it is named, for messages: `type name \`X\` is` and the like. */
function subject(d: TypeDeclaration): { lead: string; fix: string } {
  if (d.form === 'inline-enum') return { lead: `the inline enum of \`${d.parentType}.${d.field}\` is named \`${d.name}\`, which is`, fix: 'declare the enum as a type with another name and refer to it' };
  if (d.form === 'synthesized-input') return { lead: `endpoint \`${d.endpoint}\` has no \`input\`, so its input type is named \`${d.name}\`, which is`, fix: 'give the endpoint an explicit `input`' };
  if (d.form === 'saga') return { lead: `saga \`${d.saga}\` synthesizes the type \`${d.name}\`, which is`, fix: `rename saga \`${d.saga}\`` };
  return { lead: `type name \`${d.name}\` is`, fix: 'choose another name' };
}

/** What each of `serviceNames` is and the module that declares it, for messages. */
const SERVICE_NAME_ROLES: Record<keyof ReturnType<typeof serviceNames>, [role: string, module: ServiceModule]> = {
  definition: ['the service definition', 'definition'],
  host: ['the function that starts the service', 'host'],
  client: ['the client interface', 'client'],
  createClient: ['the function that creates a client', 'client'],
  clients: ['the interface of the clients the hooks call', 'handlers'],
  publishes: ['the map of the events the service publishes', 'handlers'],
  context: ['the context type of the hooks', 'handlers'],
  eventContext: ['the context type of the event hooks', 'handlers'],
  handlers: ['the interface of the endpoint hooks', 'handlers'],
  subscriptions: ['the interface of the event hooks', 'handlers'],
  compensations: ['the interface of the compensation hooks of its choreographed saga steps', 'handlers'],
  fallbacks: ['the interface of the fallback functions of calls', 'handlers'],
  healthChecks: ['the interface of the readiness checks the hooks implement', 'handlers'],
  upgrades: ['the interface of the hooks that upgrade older event versions', 'handlers'],
  routes: ['the type of the extra routes the hook file mounts', 'handlers'],
  sagaClients: ['the interface of the clients its sagas call through', 'sagas'],
  sagas: ['the function that makes its saga definitions', 'sagas'],
};

/**
 * TypeScript: a spec type is declared in its scope's `types.ts` and imported wherever it is used, next
 * to the runtime's names, every service's generated names and the globals generated code uses. A
 * type may take none of those (even where it would be harmless today: the places it is imported grow).
 */
function checkTypeScriptNames(index: SpecIndex, report: Reporter): void {
  const taken = new Map<string, string>();
  for (const name of TYPESCRIPT_GLOBALS) taken.set(name, 'a global name the generated TypeScript uses');
  for (const name of [...RUNTIME_IMPORTS, ...RUNTIME_ERROR_CLASSES]) taken.set(name, 'a name the generated TypeScript imports from meshspec/runtime');
  if (index.mesh) taken.set(meshEventsName(index.mesh.name), "the generated map of the mesh's events");
  for (const service of index.services.keys()) {
    for (const [key, name] of Object.entries(serviceNames(service)) as [keyof typeof SERVICE_NAME_ROLES, string][]) {
      const [role, module] = SERVICE_NAME_ROLES[key];
      taken.set(name, `taken by the generated TypeScript of service \`${service}\`: \`${outputFiles.serviceModule(service, module)}\` declares it as ${role}`);
    }
  }
  const enums = [...index.types.values()].filter((t) => t.form === 'inline-enum' || ((t.form === 'spec' || t.form === 'saga') && t.raw.enum !== undefined));
  for (const declaration of index.types.values()) {
    const { lead, fix } = subject(declaration);
    const clash = isBuiltinError(declaration.name) ? 'a built-in error the generated TypeScript imports from meshspec/runtime' : taken.get(declaration.name);
    if (clash) {
      report.error(declaration.doc, declaration.path, 'reserved-name', `${lead} ${clash}; ${fix}`, { key: true });
      continue;
    }
    // `<Enum>Values` sits beside the enum, in the module of its scope; mesh-level names are seen everywhere.
    const list = enums.find((e) => enumValuesName(e.name) === declaration.name && (e.owner === null || declaration.owner === null || e.owner === declaration.owner));
    if (list) {
      report.error(declaration.doc, declaration.path, 'reserved-name', `${lead} the generated list of the values of enum \`${list.name}\` (${report.where(list.doc, list.path)}); ${fix}`, { key: true });
    }
  }
}

/** An error's code travels on the wire: it may not be one the runtime sends itself or a name generated code imports. */
function checkErrorNames(index: SpecIndex, report: Reporter): void {
  for (const service of index.services.values()) {
    for (const name of Object.keys(service.raw.errors ?? {})) {
      const at = ['errors', name];
      if (Object.hasOwn(runtimeErrorStatus, name)) {
        report.error(service.doc, at, 'reserved-name', `\`${name}\` is an error the runtime answers with itself (${runtimeErrorStatus[name as keyof typeof runtimeErrorStatus]}); a client could not tell yours from it: choose another name`, { key: true });
      } else if ((RUNTIME_IMPORTS as readonly string[]).includes(name) || (RUNTIME_ERROR_CLASSES as readonly string[]).includes(name)) {
        report.error(service.doc, at, 'reserved-name', `error name \`${name}\` is a name the generated TypeScript imports from meshspec/runtime; choose another name`, { key: true });
      }
    }
  }
}

interface ProtoSymbol {
  what: string;
  /** Where the spec declares it; absent for names only the generator makes (service, rpc messages, zero values). */
  at?: { doc: TypeDeclaration['doc']; path: SpecPath };
}

/**
 * Protobuf: messages, enums and enum values share one namespace per package (enum values are siblings
 * of their enum, C++ style). Names the generator makes are entered first, so a clash is reported on
 * the user's declaration.
 */
function checkProtoNames(index: SpecIndex, report: Reporter): void {
  const packages = new Map<string | null, Map<string, ProtoSymbol>>([[null, new Map()]]);
  for (const service of index.services.values()) {
    if (service.raw.ports.grpc === undefined) continue;
    const symbols = new Map<string, ProtoSymbol>();
    packages.set(service.name, symbols);
    symbols.set(protoServiceName(service.name), { what: `the gRPC service generated for \`${service.name}\`` });
    for (const endpoint of Object.keys(service.raw.endpoints ?? {})) {
      const { request, response } = rpcMessageNames(endpoint);
      symbols.set(request, { what: `the gRPC request message generated for endpoint \`${endpoint}\`` });
      symbols.set(response, { what: `the gRPC response message generated for endpoint \`${endpoint}\`` });
    }
  }
  const enter = (symbols: Map<string, ProtoSymbol>, name: string, symbol: ProtoSymbol & { at: NonNullable<ProtoSymbol['at']> }, message: (previous: ProtoSymbol) => string) => {
    const previous = symbols.get(name);
    if (!previous) {
      symbols.set(name, symbol);
      return;
    }
    report.error(symbol.at.doc, symbol.at.path, 'proto-name-clash', message(previous), { key: true });
  };
  const located = (p: ProtoSymbol) => (p.at ? `${p.what} (${report.where(p.at.doc, p.at.path)})` : p.what);

  for (const declaration of index.types.values()) {
    // Synthesized inputs are not messages: their fields are the request's own.
    if (declaration.form === 'synthesized-input') continue;
    const symbols = packages.get(declaration.owner);
    if (!symbols) continue;
    const at = { doc: declaration.doc, path: declaration.path };
    const { lead } = subject(declaration);
    enter(symbols, declaration.name, { what: `type \`${declaration.name}\``, at }, (p) => `${lead} also the name of ${located(p)} in protobuf; rename it`);
    const values = declaration.form === 'inline-enum' ? declaration.raw.enum : declaration.form === 'spec' || declaration.form === 'saga' ? declaration.raw.enum : undefined;
    if (values === undefined) continue;
    const zero = enumZeroName(declaration.name);
    const previousZero = symbols.get(zero);
    if (previousZero) {
      report.error(declaration.doc, declaration.path, 'proto-name-clash', `enum \`${declaration.name}\` gets the zero value \`${zero}\` in protobuf, which is already the name of ${located(previousZero)}; rename one of them`, { key: true });
    } else {
      symbols.set(zero, { what: `the zero value protobuf requires of enum \`${declaration.name}\` (it stands for "not set")` });
    }
    const valuesPath = [...declaration.path, 'enum'];
    values.forEach((value, i) => {
      const protoName = enumValueName(declaration.name, value);
      enter(
        symbols, protoName,
        { what: `value \`${value}\` of enum \`${declaration.name}\``, at: { doc: declaration.doc, path: [...valuesPath, i] } },
        (p) => `enum value \`${value}\` of \`${declaration.name}\` becomes \`${protoName}\` in protobuf, which is already ${located(p)}; ` +
          (p.at ? 'enum values share one namespace per proto package, so rename one of them' : 'rename the value'),
      );
    });
  }
}

/** Two outputs with one path: a service named like a file the mesh or the gateway produces. */
function checkFiles(index: SpecIndex, report: Reporter): void {
  if (!index.mesh) return;
  const services = [...index.services.values()];
  const files = plannedFiles({
    mesh: index.mesh.name,
    gateway: index.mesh.raw.gateway !== undefined,
    services: services.map((s) => ({ name: s.name, grpc: s.raw.ports.grpc !== undefined })),
  });
  const owners = new Map<string, string>();
  const clashes = new Map<string, { path: string; other: string }[]>();
  for (const file of files) {
    const other = owners.get(file.path);
    if (other === undefined) owners.set(file.path, file.owner);
    else if (other !== file.owner) clashes.set(file.owner, [...(clashes.get(file.owner) ?? []), { path: file.path, other }]);
  }
  for (const service of services) {
    const found = clashes.get(`service \`${service.name}\``);
    if (!found) continue;
    const byOther = new Map<string, string[]>();
    for (const c of found) byOther.set(c.other, [...(byOther.get(c.other) ?? []), `\`${c.path}\``]);
    const list = [...byOther].map(([other, paths]) => `${paths.join(' and ')}, also generated for ${other}`).join('; ');
    report.error(service.doc, ['service'], 'generated-name-clash', `service \`${service.name}\` would generate ${list}; rename the service`);
  }
}

/** Objects Kubernetes keeps in the mesh's namespace itself. */
function checkKubernetesNames(index: SpecIndex, report: Reporter): void {
  if (!index.mesh) return;
  const namespace = index.mesh.raw.deploy?.namespace ?? index.mesh.name;
  const reserved = RESERVED_OBJECTS[namespace] ?? [];
  for (const service of index.services.values()) {
    if (reserved.includes(service.name)) {
      report.error(service.doc, ['service'], 'reserved-name', `service \`${service.name}\` would replace the \`${service.name}\` Service Kubernetes keeps in namespace \`${namespace}\`; rename the service or set \`deploy.namespace\` in mesh.yaml`);
    }
  }
}
