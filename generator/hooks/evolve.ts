// Bringing an existing hook file up to date with the spec: stubs for new endpoints, event handlers
// and call fallbacks, the imports they need, a whole `subscriptions` or `fallbacks` object when the
// service starts subscribing or naming fallbacks, an empty `routes` when it starts mounting extra
// routes. Everything is an insertion into the user's text; a file meshspec cannot read is left alone.
import type { MeshModel, ServiceModel } from '../model/types.js';
import { applyInsertions, type Insertion } from './edits.js';
import { extendObject, type ObjectSection, type SectionOutcome } from './extend-object.js';
import { ensureImport } from './imports.js';
import { handlersModule, handlersType, routesType } from './names.js';
import { andList, hookObjects, needed, type HookObject } from './objects.js';
import type { ExportLookup, ParseResult } from './parse.js';
import { evolveRoutes } from './routes.js';
import { joinStubs } from './stubs.js';
import { detectEol, detectUnit, type Style } from './style.js';

export interface EvolveInput {
  path: string;
  text: string;
  model: MeshModel;
  service: ServiceModel;
  generatedImport: string;
  parse: (text: string) => ParseResult;
}

export interface EvolveOutcome {
  /** The new content, or undefined when the file stays as it is. */
  content: string | undefined;
  changes: string[];
  warnings: string[];
}

/** A hook object with what messages about it name. */
type Section = HookObject & ObjectSection;

function untouched(input: EvolveInput, sections: readonly Section[], reason: string): EvolveOutcome {
  const expected = andList(sections.filter(needed).map((s) => `\`export const ${s.object}: ${s.type} = { ... }\``));
  const members = ['endpoints', 'event handlers', ...(sections.some((s) => s.object === 'fallbacks' && needed(s)) ? ['fallbacks'] : [])];
  const warning =
    `${input.path}: meshspec left this file untouched because ${reason}. To add stubs for new ${andList(members)} ` +
    `it expects ${expected} (object literals; \`satisfies\` works too). ` +
    'Fix the file and run `meshspec generate` again.';
  return { content: undefined, changes: [], warnings: [warning] };
}

/** Whole objects, then the `routes` declaration if any, appended at the end of the file, a blank line before each. */
function newObjects(text: string, sections: readonly Section[], routes: string | undefined, style: Style): Insertion {
  const { eol, unit, quote } = style;
  const semi = style.semi ? ';' : '';
  const bodies = sections.map((section) => {
    const stubs = section.wanted.map((m) => m.render({ indent: unit, unit, eol, quote }));
    return `export const ${section.object}: ${section.type} = {${eol}${joinStubs(stubs, eol, false)}}${semi}${eol}`;
  });
  const lead = !text.endsWith('\n') ? eol + eol : /\n[\t ]*\r?\n$/.test(text) ? '' : eol;
  return { at: text.length, text: lead + [...bodies, ...(routes === undefined ? [] : [routes])].join(eol) };
}

function names(members: readonly { name: string }[]): string {
  return members.map((m) => `\`${m.name}\``).join(', ');
}

/**
 * An object the file may lack (`subscriptions`, `fallbacks`): extended when it is an object literal,
 * warned about when it is something else the spec wants members in. A missing one that the spec
 * wants comes back with `append`: the caller appends all such objects in one go, with their imports.
 */
function evolveOptional(text: string, found: ExportLookup, section: Section, style: Style): SectionOutcome & { append: boolean } {
  if (found.kind === 'object') return { ...extendObject(text, found.shape, section, style), append: false };
  const none = { insertions: [], added: [], changes: [], warnings: [], append: false };
  if (!needed(section)) return none;
  if (found.kind === 'missing') return { ...none, append: true };
  const warning =
    `${section.path}: its exported \`${section.object}\` is ${found.found}, not an object literal, so meshspec could not ` +
    `check it for the ${section.label}s ${names(section.wanted)}`;
  return { ...none, warnings: [warning] };
}

/** Names planned for an object that the edited file still lacks: anything here means the edit went wrong. */
function notLanded(lookup: ExportLookup, planned: readonly string[]): string[] {
  const present = new Set(lookup.kind === 'object' ? lookup.shape.names : []);
  return planned.filter((name) => !present.has(name));
}

/**
 * The file brought up to date with the spec by insertions only, with notes on what was added and
 * warnings about what meshspec left (dropped members, objects it cannot read); content undefined
 * when it changes nothing.
 *
 * @param input - the file's path and text, the model and the service, and the parser to read it with
 * @example
 * evolveHookFile({ path: 'hooks/orders.ts', text, model, service: orders, generatedImport: '../generated', parse });
 * // { content: '...', changes: ['hooks/orders.ts: added `fallbacks` with stubs for `guestUser`'], warnings: [] }
 */
export function evolveHookFile(input: EvolveInput): EvolveOutcome {
  const { path, text, service } = input;
  // An upgrade comes from an event's `accepts`, in the mesh file; every other member from the service's own file.
  const specFileOf = (o: HookObject) => (o.object === 'upgrades' ? input.model.meshFile : service.file);
  const sections: Section[] = hookObjects(input.model, service).map((o) => ({ ...o, path, specFile: specFileOf(o) }));
  const parsed = input.parse(text);
  if (!parsed.ok) return untouched(input, sections, parsed.reason);
  const { shape } = parsed;
  if (shape.handlers.kind === 'missing') return untouched(input, sections, 'it has no exported `handlers`');
  if (shape.handlers.kind === 'other') {
    return untouched(input, sections, `its exported \`handlers\` is ${shape.handlers.found}, not an object literal`);
  }
  const style: Style = {
    eol: detectEol(text),
    unit: detectUnit(text),
    quote: shape.imports[0]?.quote === '"' ? '"' : "'",
    semi: shape.semi,
  };
  const [handlers, ...optional] = sections as [Section, ...Section[]];
  const insertions: Insertion[] = [];
  const changes: string[] = [];
  const warnings: string[] = [];
  const added = new Map<Section, string[]>();
  const appended: Section[] = [];
  const take = (section: Section, outcome: SectionOutcome) => {
    insertions.push(...outcome.insertions);
    changes.push(...outcome.changes);
    warnings.push(...outcome.warnings);
    added.set(section, outcome.added);
  };
  take(handlers, extendObject(text, shape.handlers.shape, handlers, style));
  for (const section of optional) {
    const outcome = evolveOptional(text, shape[section.object], section, style);
    take(section, outcome);
    if (outcome.append) appended.push(section);
  }
  const routes = evolveRoutes({ path, shape, style, service });
  warnings.push(...routes.warnings);
  if (appended.length || routes.append !== undefined) {
    insertions.push(newObjects(text, appended, routes.append, style));
    const module = handlersModule(input.generatedImport, service.name);
    const typeNames = [...appended.map((s) => s.type), ...(routes.append === undefined ? [] : [routesType(service.name)])];
    insertions.push(...ensureImport(shape, { names: typeNames, module, typeOnly: true, besideOf: handlersType(service.name) }, style));
    for (const section of appended) {
      changes.push(`${path}: added \`${section.object}\` with stubs for ${names(section.wanted)}`);
      added.set(section, section.wanted.map((m) => m.name));
    }
    changes.push(...routes.changes);
  }
  if (insertions.length === 0) return { content: undefined, changes, warnings };

  // Only stubs throw NotImplemented: an appended `routes` alone needs no import.
  const stubbed = [...added.values()].some((planned) => planned.length > 0);
  const runtimeImport = stubbed ? ensureImport(shape, { names: ['NotImplemented'], module: 'meshspec/runtime', typeOnly: false }, style) : [];
  if (runtimeImport.length) changes.push(`${path}: imported \`NotImplemented\` from meshspec/runtime`);
  const content = applyInsertions(text, [...insertions, ...runtimeImport]);

  // Belt and braces: never hand the writer a file that no longer parses or lacks a planned stub.
  const check = input.parse(content);
  const lost = [...added].flatMap(([section, planned]) =>
    check.ok ? notLanded(check.shape[section.object], planned) : planned,
  );
  if (routes.append !== undefined && !(check.ok && check.shape.routes)) lost.push('routes');
  if (lost.length) {
    const warning = `${path}: meshspec could not add stubs for ${names(lost.map((name) => ({ name })))} without breaking the file, so it left it untouched; add them by hand`;
    return { content: undefined, changes: [], warnings: [...warnings, warning] };
  }
  return { content, changes, warnings };
}
