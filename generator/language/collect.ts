// Gathers every declaration of the spec (services, types, events) into one index with its location,
// reporting duplicates. Semantic checks and the model builder both read this index, so names are
// derived in one place (inline enums, synthesized inputs).
//
// Types have scopes: a service's types belong to it (two services may each declare `Item`), the
// types of mesh.yaml are shared. Inside a service a name means the service's own type, else the
// mesh-level one; a service type may not reuse a mesh-level name, so that is never ambiguous.
import { didYouMean, type Diagnostic } from './diagnostics.js';
import { locate, type SpecDocument, type SpecPath } from './load.js';
import type { RawEndpoint, RawEvent, RawField, RawMesh, RawService, RawTypeDecl } from './raw.js';
import { inlineEnumName, pathParams, synthesizedInputName, typeKey } from '../naming/index.js';

export interface Declared<T> {
  name: string;
  raw: T;
  doc: SpecDocument;
  path: SpecPath;
}

/** A type: `owner` is the service that declares it, or null for a mesh-level type. */
export type TypeDeclaration =
  | (Declared<RawTypeDecl> & { form: 'spec'; owner: string | null })
  | (Declared<RawField> & { form: 'inline-enum'; owner: string | null; parentType: string; field: string })
  | (Declared<RawEndpoint> & { form: 'synthesized-input'; owner: string; endpoint: string; params: string[] })
  /** A type the model synthesizes for a service's sagas (saga-declarations.ts); `raw` is its declaration as a spec would write it. */
  | (Declared<RawTypeDecl> & { form: 'saga'; owner: string; saga: string; role: SagaTypeRole });

/** Which of a saga's synthesized types: `state` and `failure` are shared by the service's sagas. */
export type SagaTypeRole = 'state' | 'failure' | 'status' | 'completed' | 'failed';

/** An event: one of mesh.yaml, or one a saga's service publishes when it ends (`saga` set, its payload a type of `owner`). */
export type EventDeclaration = Declared<RawEvent> & { owner?: string; saga?: string };

export interface SpecIndex {
  mesh: Declared<RawMesh> | null;
  services: Map<string, Declared<RawService>>;
  /** Every type by its key (`typeKey`: `Item` for a mesh-level type, `orders.Item` for a service's). */
  types: Map<string, TypeDeclaration>;
  events: Map<string, EventDeclaration>;
  /**
   * Names declared in documents that failed the schema (read loosely), and types whose declaration
   * was rejected (a duplicate, or a service's type shadowing a mesh-level one). Those are not checked
   * further, but references to their names are not reported as unknown, nor judged by a kind nobody
   * could check: the user sees every real problem at once, and no false ones.
   */
  unchecked: Unchecked;
}

export interface Unchecked {
  services: Set<string>;
  /** Type keys (`typeKey`); `ANY_NAME` in place of a name when a scope's types could not be read at all. */
  types: Set<string>;
  events: Set<string>;
  /** A failed service file whose name could not be read: any service may be declared there. */
  anyService: boolean;
  /** A failed mesh file whose events could not be read: any event may be declared there. */
  anyEvent: boolean;
}

/** The scope a reference is resolved in: a service's name, or null for mesh.yaml. */
export type Scope = string | null;

export function collect(documents: SpecDocument[], failed: SpecDocument[] = []): { index: SpecIndex; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const index: SpecIndex = { mesh: null, services: new Map(), types: new Map(), events: new Map(), unchecked: uncheckedNames(failed) };
  const error = (doc: SpecDocument, path: SpecPath, code: string, message: string, key = true) =>
    diagnostics.push({ severity: 'error', code, message, file: doc.file, ...locate(doc, path, { key }) });

  const addType = (declaration: TypeDeclaration, clash: (at: string, fix: string) => string, fix: string): boolean => {
    const problem = declareType(index, declaration, clash, fix);
    if (problem) diagnostics.push(problem);
    return problem === null;
  };
  const addTypes = (doc: SpecDocument, types: Record<string, RawTypeDecl> | undefined, owner: string | null) => {
    const rejected = new Set<string>();
    for (const [name, raw] of Object.entries(types ?? {})) {
      if (!addType({ form: 'spec', name, raw, doc, path: ['types', name], owner }, (at, fix) => `type \`${name}\` is ${at}${fix}`, '')) rejected.add(name);
    }
    for (const [typeName, raw] of Object.entries(types ?? {})) {
      for (const [field, spec] of Object.entries(raw.fields ?? {})) {
        if (!spec.enum) continue;
        const name = inlineEnumName(typeName, field);
        // The inline enums of a rejected type are named after a name that has to change: not judged.
        if (rejected.has(typeName)) {
          index.unchecked.types.add(typeKey(owner, name));
          continue;
        }
        addType(
          { form: 'inline-enum', name, raw: spec, doc, path: ['types', typeName, 'fields', field], owner, parentType: typeName, field },
          (at, fix) => `the inline enum of \`${typeName}.${field}\` is named \`${name}\`, which is ${at}${fix}`,
          `; if it is the same enum, use it (\`type: ${name}\`), else rename the field or declare this enum as a type of another name`,
        );
      }
    }
  };

  // The mesh file first, so that its types are known when a service's type shadows one.
  const ordered = [...documents].sort((a, b) => Number(b.kind === 'mesh') - Number(a.kind === 'mesh'));
  for (const doc of ordered) {
    if (doc.kind === 'mesh') {
      const raw = doc.data as RawMesh;
      index.mesh = { name: raw.mesh, raw, doc, path: [] };
      addTypes(doc, raw.types, null);
      for (const [name, event] of Object.entries(raw.events ?? {})) index.events.set(name, { name, raw: event, doc, path: ['events', name] });
      continue;
    }
    const raw = doc.data as RawService;
    const previous = index.services.get(raw.service);
    if (previous) {
      error(doc, ['service'], 'duplicate-service', `service \`${raw.service}\` is already declared in ${previous.doc.file}`, false);
      // The second file is not checked: what it publishes or calls is not known.
      index.unchecked.services.add(raw.service);
      continue;
    }
    index.services.set(raw.service, { name: raw.service, raw, doc, path: [] });
    addTypes(doc, raw.types, raw.service);
  }

  // Synthesized inputs last, so that a clash is reported on the endpoint rather than on the user's type.
  for (const service of index.services.values()) {
    for (const [endpoint, raw] of Object.entries(service.raw.endpoints ?? {})) {
      // An endpoint that starts a saga takes the saga's input.
      if (raw.input !== undefined || raw.saga !== undefined) continue;
      const name = synthesizedInputName(endpoint);
      const params = pathParams(raw.http.split(' ')[1] ?? '');
      addType(
        { form: 'synthesized-input', name, raw, doc: service.doc, path: ['endpoints', endpoint], owner: service.name, endpoint, params },
        (at, fix) => `endpoint \`${endpoint}\` has no \`input\`, so its input type is named \`${name}\`, which is ${at}${fix}`,
        '; give the endpoint an explicit `input`',
      );
    }
  }
  return { index, diagnostics };
}

/**
 * Registers a type in the index, or returns why its name is taken (and leaves the index as it was,
 * apart from marking a shadowing name unchecked).
 *
 * @param index the declarations so far
 * @param declaration the type to register
 * @param clash the message for a name already taken at `at`; `fix` says what to do about it
 * @param fix the default fix ('' lets a shadowing clash suggest using the mesh-level type)
 * @example declareType(index, declaration, (at, fix) => `type \`Item\` is ${at}${fix}`, '') // null: registered
 */
export function declareType(index: SpecIndex, declaration: TypeDeclaration, clash: (at: string, fix: string) => string, fix: string): Diagnostic | null {
  const error = (message: string, code: string): Diagnostic => ({ severity: 'error', code, message, file: declaration.doc.file, ...locate(declaration.doc, declaration.path, { key: true }) });
  const previous = index.types.get(typeKey(declaration.owner, declaration.name));
  if (previous) return error(clash(`already declared at ${where(previous)}${describeForm(previous)}`, fix), 'duplicate-type');
  const shadowed = declaration.owner === null ? undefined : index.types.get(declaration.name);
  if (shadowed) {
    const reason = `also a mesh-level type (${where(shadowed)}), and a service's types may not reuse a mesh-level name`;
    // Uses of the name inside the service meant this declaration, not the mesh-level type: judge neither.
    index.unchecked.types.add(typeKey(declaration.owner, declaration.name));
    return error(clash(reason, fix || '; rename it, or use the mesh-level type'), 'shadowed-type');
  }
  index.types.set(typeKey(declaration.owner, declaration.name), declaration);
  return null;
}

function where(d: { doc: SpecDocument; path: SpecPath }): string {
  const pos = locate(d.doc, d.path, { key: true });
  return `${d.doc.file}:${pos.line}:${pos.col}`;
}

/**
 * The type `name` means in `scope`: the scope's own type, else the mesh-level one. Synthesized inputs
 * cannot be named. Undefined as well when the scope's own declaration of the name was rejected.
 */
export function lookupType(index: SpecIndex, scope: Scope, name: string): TypeDeclaration | undefined {
  const own = scope === null ? undefined : typeKey(scope, name);
  if (own !== undefined && !index.types.has(own) && index.unchecked.types.has(own)) return undefined;
  const found = (own === undefined ? undefined : index.types.get(own)) ?? index.types.get(name);
  return found?.form === 'synthesized-input' ? undefined : found;
}

/** True when a document that failed the schema (or a rejected declaration) may declare `name` where `scope` sees it: it must not be called unknown. */
export function maybeDeclared(index: SpecIndex, scope: Scope, name: string): boolean {
  const { types } = index.unchecked;
  // A service file whose name could not be read may declare the name; its unreadable `types` say
  // nothing about this scope's (it is another service, or a duplicate of this one).
  if (types.has(typeKey(ANY_SERVICE, name))) return true;
  return [null, ...(scope === null ? [] : [scope])].some((s) => types.has(typeKey(s, name)) || types.has(typeKey(s, ANY_NAME)));
}

/** True when a service file that failed the schema may declare service `name`. */
export function maybeService(index: SpecIndex, name: string): boolean {
  return index.unchecked.anyService || index.unchecked.services.has(name);
}

/** True when a mesh file that failed the schema may declare event `name`. */
export function maybeEvent(index: SpecIndex, name: string): boolean {
  return index.unchecked.anyEvent || index.unchecked.events.has(name);
}

/** True when some service file failed the schema: who publishes or calls what is then not fully known. */
export function someServiceUnchecked(index: SpecIndex): boolean {
  return index.unchecked.anyService || index.unchecked.services.size > 0;
}

/** The kind of the type `name` in `scope`; 'unknown' when it is not declared or was declared in a document nobody could check. */
export function typeKind(index: SpecIndex, scope: Scope, name: string | undefined): 'record' | 'enum' | 'unknown' {
  const found = name === undefined ? undefined : lookupType(index, scope, name);
  if (!found) return 'unknown';
  return isRecord(found) ? 'record' : 'enum';
}

/** Names a reference in `scope` may use (for "did you mean"). */
export function visibleTypeNames(index: SpecIndex, scope: Scope): string[] {
  return [...index.types.values()]
    .filter((t) => t.form !== 'synthesized-input' && (t.owner === null || t.owner === scope))
    .map((t) => t.name);
}

/** Services other than `scope` whose own types include `name`, also in service files that failed the schema. */
export function otherOwners(index: SpecIndex, scope: Scope, name: string): string[] {
  const owners = new Set<string>();
  for (const t of index.types.values()) {
    if (t.form !== 'synthesized-input' && t.name === name && t.owner !== null && t.owner !== scope) owners.add(t.owner);
  }
  for (const service of index.unchecked.services) {
    if (service !== scope && index.unchecked.types.has(typeKey(service, name))) owners.add(service);
  }
  return [...owners].sort();
}

/** Stands for a service file whose `service` name could not be read. */
const ANY_SERVICE = '*';
/** Stands for every name of a scope whose `types` could not be read. */
const ANY_NAME = '*';

/** What documents that failed the schema seem to declare: only keys and names of the right JS type. */
function uncheckedNames(failed: SpecDocument[]): Unchecked {
  const names: Unchecked = { services: new Set(), types: new Set(), events: new Set(), anyService: false, anyEvent: false };
  const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
  const keys = (value: unknown) => (isMapping(value) ? Object.entries(value) : []);
  for (const doc of failed) {
    const data = isMapping(doc.data) ? doc.data : {};
    const unreadable = (key: string) => !isMapping(doc.data) || (data[key] !== undefined && data[key] !== null && !isMapping(data[key]));
    const service = typeof data.service === 'string' ? data.service : null;
    const owner = doc.kind === 'mesh' ? null : (service ?? ANY_SERVICE);
    if (doc.kind === 'service') {
      if (service === null) names.anyService = true;
      else names.services.add(service);
    }
    if (doc.kind === 'mesh' && unreadable('events')) names.anyEvent = true;
    for (const [event] of keys(data.events)) names.events.add(event);
    if (unreadable('types')) names.types.add(typeKey(owner, ANY_NAME));
    for (const [typeName, declaration] of keys(data.types)) {
      names.types.add(typeKey(owner, typeName));
      for (const [field, spec] of keys((declaration as { fields?: unknown } | null)?.fields)) {
        if ((spec as { enum?: unknown } | null)?.enum !== undefined) names.types.add(typeKey(owner, inlineEnumName(typeName, field)));
      }
    }
  }
  return names;
}

function describeForm(p: TypeDeclaration): string {
  if (p.form === 'inline-enum') return ` (the inline enum of \`${p.parentType}.${p.field}\`)`;
  if (p.form === 'synthesized-input') return ` (the input of endpoint \`${p.endpoint}\`)`;
  if (p.form === 'saga') return ` (synthesized for saga \`${p.saga}\`)`;
  return '';
}

/** Record field list of a type declaration (empty for enums). */
export function recordFields(declaration: TypeDeclaration): [string, RawField][] {
  if (declaration.form === 'spec' || declaration.form === 'saga') return Object.entries(declaration.raw.fields ?? {});
  if (declaration.form === 'synthesized-input') return declaration.params.map((p, i) => [p, { type: 'string', field: i + 1 }]);
  return [];
}

export function isRecord(declaration: TypeDeclaration): boolean {
  return declaration.form === 'synthesized-input' || ((declaration.form === 'spec' || declaration.form === 'saga') && declaration.raw.fields !== undefined);
}

export function unknownName(kind: string, name: string, candidates: Iterable<string>): string {
  return `${kind} \`${name}\` is not declared${didYouMean(name, candidates)}`;
}
