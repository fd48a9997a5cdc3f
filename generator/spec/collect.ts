// Gathers every declaration of the spec (services, types, events) into one index with its location,
// reporting duplicates. Semantic checks and the model builder both read this index, so names are
// derived in one place (inline enums, synthesized inputs).
import { didYouMean, type Diagnostic } from './diagnostics.js';
import { locate, type SpecDocument, type SpecPath } from './load.js';
import type { RawEndpoint, RawField, RawMesh, RawService, RawTypeDecl } from './raw.js';
import { inlineEnumName, pathParams, synthesizedInputName } from '../model/names.js';

export interface Declared<T> {
  name: string;
  raw: T;
  doc: SpecDocument;
  path: SpecPath;
}

export type TypeDeclaration =
  | (Declared<RawTypeDecl> & { form: 'spec'; owner: string | null })
  | (Declared<RawField> & { form: 'inline-enum'; owner: string | null; parentType: string; field: string })
  | (Declared<RawEndpoint> & { form: 'synthesized-input'; owner: string; endpoint: string; params: string[] });

export interface SpecIndex {
  mesh: Declared<RawMesh> | null;
  services: Map<string, Declared<RawService>>;
  types: Map<string, TypeDeclaration>;
  events: Map<string, Declared<{ payload: string; version?: number; description?: string }>>;
  /**
   * Names declared in documents that failed the schema (read loosely). Those documents are not
   * checked further, but references to their names are not reported as unknown: the user sees
   * every real problem at once, and no false ones.
   */
  unchecked: { services: Set<string>; types: Set<string>; events: Set<string> };
}

export function collect(documents: SpecDocument[], failed: SpecDocument[] = []): { index: SpecIndex; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const index: SpecIndex = { mesh: null, services: new Map(), types: new Map(), events: new Map(), unchecked: uncheckedNames(failed) };
  const error = (doc: SpecDocument, path: SpecPath, code: string, message: string, key = true) =>
    diagnostics.push({ severity: 'error', code, message, file: doc.file, ...locate(doc, path, { key }) });
  const where = (d: { doc: SpecDocument; path: SpecPath }) => {
    const pos = locate(d.doc, d.path, { key: true });
    return `${d.doc.file}:${pos.line}:${pos.col}`;
  };

  const addType = (declaration: TypeDeclaration, clash: (previous: TypeDeclaration) => string) => {
    const previous = index.types.get(declaration.name);
    if (previous) {
      error(declaration.doc, declaration.path, 'duplicate-type', clash(previous));
      return;
    }
    index.types.set(declaration.name, declaration);
  };
  const addTypes = (doc: SpecDocument, types: Record<string, RawTypeDecl> | undefined, owner: string | null) => {
    for (const [name, raw] of Object.entries(types ?? {})) {
      addType({ form: 'spec', name, raw, doc, path: ['types', name], owner }, (p) => `type \`${name}\` is already declared at ${where(p)}${describeForm(p)}`);
    }
    for (const [typeName, raw] of Object.entries(types ?? {})) {
      for (const [field, spec] of Object.entries(raw.fields ?? {})) {
        if (!spec.enum) continue;
        const name = inlineEnumName(typeName, field);
        addType(
          { form: 'inline-enum', name, raw: spec, doc, path: ['types', typeName, 'fields', field], owner, parentType: typeName, field },
          (p) => `the inline enum of \`${typeName}.${field}\` is named \`${name}\`, which is already declared at ${where(p)}; declare the enum as a type and refer to it`,
        );
      }
    }
  };

  for (const doc of documents) {
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
      continue;
    }
    index.services.set(raw.service, { name: raw.service, raw, doc, path: [] });
    addTypes(doc, raw.types, raw.service);
  }

  // Synthesized inputs last, so that a clash is reported on the endpoint rather than on the user's type.
  for (const service of index.services.values()) {
    for (const [endpoint, raw] of Object.entries(service.raw.endpoints ?? {})) {
      if (raw.input !== undefined) continue;
      const name = synthesizedInputName(endpoint);
      const params = pathParams(raw.http.split(' ')[1] ?? '');
      addType(
        { form: 'synthesized-input', name, raw, doc: service.doc, path: ['endpoints', endpoint], owner: service.name, endpoint, params },
        (p) => `endpoint \`${endpoint}\` has no \`input\`, so its input type is named \`${name}\`, which is already declared at ${where(p)}; give the endpoint an explicit \`input\``,
      );
    }
  }
  return { index, diagnostics };
}

/** What documents that failed the schema seem to declare: only keys and names of the right JS type. */
function uncheckedNames(failed: SpecDocument[]): SpecIndex['unchecked'] {
  const names: SpecIndex['unchecked'] = { services: new Set(), types: new Set(), events: new Set() };
  const keys = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : []);
  for (const doc of failed) {
    const data = doc.data as Record<string, unknown> | null;
    if (typeof data?.service === 'string') names.services.add(data.service);
    for (const [event] of keys(data?.events)) names.events.add(event);
    for (const [typeName, declaration] of keys(data?.types)) {
      names.types.add(typeName);
      for (const [field, spec] of keys((declaration as { fields?: unknown } | null)?.fields)) {
        if ((spec as { enum?: unknown } | null)?.enum !== undefined) names.types.add(inlineEnumName(typeName, field));
      }
    }
  }
  return names;
}

function describeForm(p: TypeDeclaration): string {
  if (p.form === 'inline-enum') return ` (the inline enum of \`${p.parentType}.${p.field}\`)`;
  if (p.form === 'synthesized-input') return ` (the input of endpoint \`${p.endpoint}\`)`;
  return '';
}

/** Record field list of a type declaration (empty for enums). */
export function recordFields(declaration: TypeDeclaration): [string, RawField][] {
  if (declaration.form === 'spec') return Object.entries(declaration.raw.fields ?? {});
  if (declaration.form === 'synthesized-input') return declaration.params.map((p, i) => [p, { type: 'string', field: i + 1 }]);
  return [];
}

export function isRecord(declaration: TypeDeclaration): boolean {
  return declaration.form === 'synthesized-input' || (declaration.form === 'spec' && declaration.raw.fields !== undefined);
}

export function unknownName(kind: string, name: string, candidates: Iterable<string>): string {
  return `${kind} \`${name}\` is not declared${didYouMean(name, candidates)}`;
}
