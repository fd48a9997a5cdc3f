// Bringing an existing hook file up to date with the spec: stubs for new endpoints and event
// handlers, the imports they need, a `subscriptions` object when the service starts subscribing.
// Everything is an insertion into the user's text; a file meshspec cannot read is left alone.
import type { MeshModel, ServiceModel } from '../model/types.js';
import { applyInsertions, type Insertion } from './edits.js';
import { extendObject, type Member, type ObjectSection } from './extend-object.js';
import { ensureImport } from './imports.js';
import { handlersModule, handlersType, subscriptionsType } from './names.js';
import type { HookFileShape, ParseResult } from './parse.js';
import { endpointStub, joinStubs, subscriptionStub } from './stubs.js';
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

function expectedShape(service: ServiceModel): string {
  const handlers = `\`export const handlers: ${handlersType(service.name)} = { ... }\``;
  const subscriptions = `\`export const subscriptions: ${subscriptionsType(service.name)} = { ... }\``;
  return service.subscribes.length ? `${handlers} and ${subscriptions}` : handlers;
}

function untouched(input: EvolveInput, reason: string): EvolveOutcome {
  const warning =
    `${input.path}: meshspec left this file untouched because ${reason}. To add stubs for new endpoints ` +
    `and event handlers it expects ${expectedShape(input.service)} (object literals; \`satisfies\` works too). ` +
    'Fix the file and run `meshspec generate` again.';
  return { content: undefined, changes: [], warnings: [warning] };
}

function sections(input: EvolveInput): { handlers: ObjectSection; subscriptions: ObjectSection } {
  const { path, model, service } = input;
  const common = { path, specFile: service.file };
  const endpoints: Member[] = service.endpoints.map((e) => ({
    name: e.name,
    render: (layout) => endpointStub(service.name, e, layout),
  }));
  const handlers: Member[] = service.subscribes.map((s) => ({
    name: s.handler,
    render: (layout) => subscriptionStub(model, service.name, s, layout),
  }));
  return {
    handlers: { ...common, object: 'handlers', label: 'endpoint', wanted: endpoints },
    subscriptions: { ...common, object: 'subscriptions', label: 'event handler', wanted: handlers },
  };
}

/** A whole `subscriptions` object appended at the end of the file. */
function newSubscriptions(text: string, section: ObjectSection, type: string, style: Style): Insertion {
  const { eol, unit, quote } = style;
  const stubs = section.wanted.map((m) => m.render({ indent: unit, unit, eol, quote }));
  const lead = !text.endsWith('\n') ? eol + eol : /\n[\t ]*\r?\n$/.test(text) ? '' : eol;
  const semi = style.semi ? ';' : '';
  const body = `export const subscriptions: ${type} = {${eol}${joinStubs(stubs, eol, false)}}${semi}${eol}`;
  return { at: text.length, text: lead + body };
}

/** Names planned for an object that the edited file still lacks: anything here means the edit went wrong. */
function notLanded(lookup: HookFileShape['handlers'], planned: readonly string[]): string[] {
  const present = new Set(lookup.kind === 'object' ? lookup.shape.names : []);
  return planned.filter((name) => !present.has(name));
}

export function evolveHookFile(input: EvolveInput): EvolveOutcome {
  const { path, text, service } = input;
  const parsed = input.parse(text);
  if (!parsed.ok) return untouched(input, parsed.reason);
  const { shape } = parsed;
  if (shape.handlers.kind === 'missing') return untouched(input, 'it has no exported `handlers`');
  if (shape.handlers.kind === 'other') {
    return untouched(input, `its exported \`handlers\` is ${shape.handlers.found}, not an object literal`);
  }
  const style: Style = {
    eol: detectEol(text),
    unit: detectUnit(text),
    quote: shape.imports[0]?.quote === '"' ? '"' : "'",
    semi: shape.semi,
  };
  const s = sections(input);
  const handlersOutcome = extendObject(text, shape.handlers.shape, s.handlers, style);
  const insertions: Insertion[] = [...handlersOutcome.insertions];
  const changes: string[] = [...handlersOutcome.changes];
  const warnings: string[] = [...handlersOutcome.warnings];
  let subscriptionsAdded: string[] = [];

  const subs = shape.subscriptions;
  const wantedSubs = s.subscriptions.wanted.map((m) => `\`${m.name}\``).join(', ');
  if (subs.kind === 'object') {
    const outcome = extendObject(text, subs.shape, s.subscriptions, style);
    insertions.push(...outcome.insertions);
    changes.push(...outcome.changes);
    warnings.push(...outcome.warnings);
    subscriptionsAdded = outcome.added;
  } else if (subs.kind === 'other' && s.subscriptions.wanted.length) {
    warnings.push(
      `${path}: its exported \`subscriptions\` is ${subs.found}, not an object literal, so meshspec could not ` +
        `check it for the event handlers ${wantedSubs}`,
    );
  } else if (subs.kind === 'missing' && s.subscriptions.wanted.length) {
    const type = subscriptionsType(service.name);
    const module = handlersModule(input.generatedImport, service.name);
    insertions.push(newSubscriptions(text, s.subscriptions, type, style));
    insertions.push(...ensureImport(shape, { name: type, module, typeOnly: true, besideOf: handlersType(service.name) }, style));
    changes.push(`${path}: added \`subscriptions\` with stubs for ${wantedSubs}`);
    subscriptionsAdded = s.subscriptions.wanted.map((m) => m.name);
  }
  if (insertions.length === 0) return { content: undefined, changes, warnings };

  const runtimeImport = ensureImport(shape, { name: 'NotImplemented', module: 'meshspec/runtime', typeOnly: false }, style);
  if (runtimeImport.length) changes.push(`${path}: imported \`NotImplemented\` from meshspec/runtime`);
  const content = applyInsertions(text, [...insertions, ...runtimeImport]);

  // Belt and braces: never hand the writer a file that no longer parses or lacks a planned stub.
  const check = input.parse(content);
  const lost = check.ok
    ? [...notLanded(check.shape.handlers, handlersOutcome.added), ...notLanded(check.shape.subscriptions, subscriptionsAdded)]
    : [...handlersOutcome.added, ...subscriptionsAdded];
  if (lost.length) {
    const names = lost.map((n) => `\`${n}\``).join(', ');
    const warning = `${path}: meshspec could not add stubs for ${names} without breaking the file, so it left it untouched; add them by hand`;
    return { content: undefined, changes: [], warnings: [...warnings, warning] };
  }
  return { content, changes, warnings };
}
