// One mistake at a time, applied to a valid spec printed by hand (render-hand.ts records where every
// key and value landed): a misspelt reference to a type, event, service or error; a key indented one
// space too far or too little; a duplicated key; a duplicate field number, handler or port; a value of
// the wrong type. Each mutation says where its one error must be reported.
import type { Choose } from '../arbitraries/choose.js';
import { specDocuments, type Data } from '../arbitraries/documents.js';
import { pascal } from '../arbitraries/names.js';
import type { SpecFiles, SpecPlan } from '../arbitraries/plan.js';
import { pathKey, scalar, type Placed, type RenderedFile } from '../arbitraries/render-hand.js';
import { duplicateLine, replaceScalar, shiftLine, startsWithKeyAt } from './edit.js';
import { GRAMMAR, misspell } from './misspell.js';

export interface Mutation {
  /** What was done, for the failure message. */
  what: string;
  files: SpecFiles;
  /** The spec file (relative to the spec folder) and position of the one error it must cause. */
  file: string;
  line: number;
  /** Absent where the column is not decidable (an indentation error is reported where the parser notices). */
  col?: number;
  /** Codes the error may have; absent when any code will do (YAML syntax: the wording is the parser's). */
  codes?: readonly string[];
}

export interface Subject {
  plan: SpecPlan;
  rendered: Record<string, RenderedFile>;
}

type Path = (string | number)[];

/** Every recorded entry of every file, with its value in the plan's data. */
interface Entry {
  file: string;
  path: Path;
  placed: Placed;
  value: Data;
}

const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'map']);

export const MUTATORS: Record<string, (subject: Subject, choose: Choose) => Mutation | null> = {
  'misspelt type': misspeltType,
  'misspelt event': misspeltEvent,
  'misspelt service': misspeltService,
  'misspelt error': misspeltError,
  'wrong indent': wrongIndent,
  'duplicate key': duplicateKey,
  'duplicate field number': duplicateFieldNumber,
  'duplicate handler': duplicateHandler,
  'duplicate port': duplicatePort,
  'wrong type of value': wrongType,
};

function entries(subject: Subject): Entry[] {
  const out: Entry[] = [];
  for (const { file, data } of specDocuments(subject.plan)) {
    const rendered = subject.rendered[file]!;
    for (const [key, placed] of rendered.positions) {
      const path = JSON.parse(key) as Path;
      out.push({ file, path, placed, value: valueAt(data, path) });
    }
  }
  return out;
}

function valueAt(data: Data, path: Path): Data {
  let node: Data = data;
  for (const segment of path) node = (node as Record<string | number, Data>)[segment]!;
  return node;
}

const last = (path: Path, n = 1) => path[path.length - n];

/** A new copy of the rendered files with `file` replaced. */
function withFile(subject: Subject, file: string, text: string): SpecFiles {
  const files: SpecFiles = {};
  for (const [name, r] of Object.entries(subject.rendered)) files[name] = name === file ? text : r.text;
  return files;
}

function replaceValue(subject: Subject, entry: Entry, replacement: string, what: string, codes?: readonly string[]): Mutation {
  const text = replaceScalar(subject.rendered[entry.file]!.text, entry.placed.value, entry.value as string | number | boolean, replacement);
  return { what, files: withFile(subject, entry.file, text), file: entry.file, line: entry.placed.value.line, col: entry.placed.value.col, ...(codes && { codes }) };
}

function renameKey(subject: Subject, entry: Entry, name: string, what: string, codes: readonly string[]): Mutation {
  const key = String(last(entry.path));
  const text = replaceScalar(subject.rendered[entry.file]!.text, entry.placed.key!, key, scalar(name, true));
  return { what, files: withFile(subject, entry.file, text), file: entry.file, line: entry.placed.key!.line, col: entry.placed.key!.col, codes };
}

function typeNames(plan: SpecPlan): Set<string> {
  const names = new Set<string>();
  for (const types of [plan.mesh.types ?? [], ...plan.services.map((s) => s.types ?? [])]) {
    for (const t of types) {
      names.add(t.name);
      for (const f of t.fields ?? []) if (f.enum) names.add(`${t.name}${pascal(f.name)}`);
    }
  }
  return names;
}

function misspeltType(subject: Subject, choose: Choose): Mutation | null {
  const refs = entries(subject).filter(({ path, value }) => {
    if (typeof value !== 'string') return false;
    const key = last(path);
    const field = path[path.length - 3] === 'fields' && (key === 'type' || key === 'items' || key === 'values') && !PRIMITIVES.has(value);
    const endpoint = last(path, 3) === 'endpoints' && (key === 'input' || key === 'output');
    const payload = path[0] === 'events' && key === 'payload';
    return field || endpoint || payload;
  });
  if (refs.length === 0) return null;
  const entry = choose.pick(refs);
  const name = (entry.value as string).replace(/\[\]$/, '');
  const typo = misspell(choose, name, GRAMMAR.type, typeNames(subject.plan));
  if (typo === null) return null;
  const list = (entry.value as string).endsWith('[]') ? '[]' : '';
  return replaceValue(subject, entry, scalar(typo + list, true), `type \`${name}\` misspelt \`${typo}\``, ['unknown-type', 'cross-service-type']);
}

function eventNames(plan: SpecPlan): Set<string> {
  return new Set((plan.mesh.events ?? []).map((e) => e.name));
}

function misspeltEvent(subject: Subject, choose: Choose): Mutation | null {
  const refs = entries(subject).filter(({ path, value }) =>
    (typeof value === 'string' && ((path[0] === 'publishes' && path.length === 2) || (last(path, 2) === 'emits' && path[0] === 'endpoints'))) ||
    (path[0] === 'subscribes' && path.length === 2));
  if (refs.length === 0) return null;
  const entry = choose.pick(refs);
  const keyed = entry.path[0] === 'subscribes';
  const name = keyed ? String(last(entry.path)) : (entry.value as string);
  const typo = misspell(choose, name, GRAMMAR.event, eventNames(subject.plan));
  if (typo === null) return null;
  const what = `event \`${name}\` misspelt \`${typo}\``;
  return keyed ? renameKey(subject, entry, typo, what, ['unknown-event']) : replaceValue(subject, entry, scalar(typo, true), what, ['unknown-event']);
}

function misspeltService(subject: Subject, choose: Choose): Mutation | null {
  const refs = entries(subject).filter(({ path }) =>
    (path[0] === 'calls' && path.length === 2) || (path[0] === 'gateway' && path[1] === 'routes' && last(path) === 'service'));
  if (refs.length === 0) return null;
  const entry = choose.pick(refs);
  const keyed = entry.path[0] === 'calls';
  const name = keyed ? String(last(entry.path)) : (entry.value as string);
  const typo = misspell(choose, name, GRAMMAR.service, new Set(subject.plan.services.map((s) => s.service)));
  if (typo === null) return null;
  const what = `service \`${name}\` misspelt \`${typo}\``;
  return keyed ? renameKey(subject, entry, typo, what, ['unknown-service']) : replaceValue(subject, entry, scalar(typo, true), what, ['unknown-service']);
}

function misspeltError(subject: Subject, choose: Choose): Mutation | null {
  const refs = entries(subject).filter(({ path, value }) => typeof value === 'string' && last(path, 2) === 'errors' && path[0] === 'endpoints');
  if (refs.length === 0) return null;
  const entry = choose.pick(refs);
  const service = subject.plan.services.find((s) => `services/${s.service}.yaml` === entry.file)!;
  const known = new Set([...(service.errors ?? []).map((e) => e.name), ...BUILTIN_ERROR_NAMES]);
  const typo = misspell(choose, entry.value as string, GRAMMAR.error, known);
  if (typo === null) return null;
  return replaceValue(subject, entry, scalar(typo, true), `error \`${String(entry.value)}\` misspelt \`${typo}\``, ['unknown-error']);
}

const BUILTIN_ERROR_NAMES = [
  'BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'Gone', 'PreconditionFailed', 'Unprocessable', 'TooManyRequests', 'Unavailable',
];

/** Keys that start their own line in a block map and have a sibling before them. */
function blockKeysAfterASibling(subject: Subject): Entry[] {
  const all = entries(subject);
  return all.filter((e) => {
    if (!e.placed.key || typeof last(e.path) !== 'string') return false;
    if (!startsWithKeyAt(subject.rendered[e.file]!.text, e.placed.key.line, e.placed.key.col)) return false;
    const parent = pathKey(e.path.slice(0, -1));
    return all.some((o) => o.file === e.file && o !== e && o.placed.key && pathKey(o.path.slice(0, -1)) === parent && o.placed.key.line < e.placed.key!.line);
  });
}

function wrongIndent(subject: Subject, choose: Choose): Mutation | null {
  const candidates = blockKeysAfterASibling(subject);
  if (candidates.length === 0) return null;
  const entry = choose.pick(candidates);
  const delta = entry.placed.key!.col > 1 && choose.chance(0.5) ? -1 : 1;
  const text = shiftLine(subject.rendered[entry.file]!.text, entry.placed.key!.line, delta);
  return { what: `\`${entry.path.join('.')}\` indented ${delta > 0 ? 'one space too far' : 'one space too little'}`, files: withFile(subject, entry.file, text), file: entry.file, line: entry.placed.key!.line };
}

function duplicateKey(subject: Subject, choose: Choose): Mutation | null {
  // A key whose value sits on its own line: the copy is one whole entry.
  const candidates = blockKeysAfterASibling(subject).filter((e) => e.placed.value.line === e.placed.key!.line);
  if (candidates.length === 0) return null;
  const entry = choose.pick(candidates);
  const text = duplicateLine(subject.rendered[entry.file]!.text, entry.placed.key!.line);
  return { what: `\`${entry.path.join('.')}\` written twice`, files: withFile(subject, entry.file, text), file: entry.file, line: entry.placed.key!.line + 1, col: entry.placed.key!.col };
}

function duplicateFieldNumber(subject: Subject, choose: Choose): Mutation | null {
  const numbers = entries(subject).filter(({ path }) => last(path) === 'field' && last(path, 3) === 'fields');
  const pairs = numbers.flatMap((later) =>
    numbers.filter((earlier) => earlier.file === later.file && pathKey(earlier.path.slice(0, -2)) === pathKey(later.path.slice(0, -2)) && earlier.placed.value.line < later.placed.value.line).map((earlier) => [earlier, later] as const));
  if (pairs.length === 0) return null;
  const [earlier, later] = choose.pick(pairs);
  return replaceValue(subject, later, String(earlier.value), `\`${later.path.slice(0, -1).join('.')}\` given the field number of \`${String(last(earlier.path, 2))}\``, ['duplicate-field-number']);
}

function duplicateHandler(subject: Subject, choose: Choose): Mutation | null {
  const handlers = entries(subject).filter(({ path }) => path[0] === 'subscribes' && path.length === 2);
  const pairs = handlers.flatMap((later) => handlers.filter((earlier) => earlier.file === later.file && earlier.placed.value.line < later.placed.value.line).map((earlier) => [earlier, later] as const));
  if (pairs.length === 0) return null;
  const [earlier, later] = choose.pick(pairs);
  return replaceValue(subject, later, scalar(earlier.value as string, true), `handler of \`${String(last(later.path))}\` named like that of \`${String(last(earlier.path))}\``, ['duplicate-handler']);
}

/** The gateway's port, then services' ports in file order: a port taken twice is reported where it is claimed second. */
function duplicatePort(subject: Subject, choose: Choose): Mutation | null {
  const ports = entries(subject)
    .filter(({ path }) => (path[0] === 'ports' && path.length === 2) || (path[0] === 'gateway' && path[1] === 'port' && path.length === 2))
    .sort((a, b) => Number(b.file === 'mesh.yaml') - Number(a.file === 'mesh.yaml') || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.placed.value.line - b.placed.value.line || a.placed.value.col - b.placed.value.col);
  if (ports.length < 2) return null;
  const at = choose.int(1, ports.length - 1);
  const later = ports[at]!;
  const earlier = ports[choose.int(0, at - 1)]!;
  return replaceValue(subject, later, String(earlier.value), `\`${later.file}\` ${later.path.join('.')} set to the port at ${earlier.file} ${earlier.path.join('.')}`, ['port-clash']);
}

/** A value of the wrong YAML type where the schema wants a number, a boolean or a list. */
function wrongType(subject: Subject, choose: Choose): Mutation | null {
  const candidates = entries(subject).filter(({ path, value }) => {
    const key = last(path);
    if (typeof value === 'number') return key === 'field' || key === 'status' || key === 'replicas' || key === 'http' || key === 'grpc' || key === 'port' || key === 'version';
    if (typeof value === 'boolean') return key === 'optional';
    return Array.isArray(value) && (key === 'emits' || key === 'errors' || key === 'publishes' || key === 'enum');
  });
  if (candidates.length === 0) return null;
  const entry = choose.pick(candidates);
  let replacement: string;
  if (typeof entry.value === 'number') replacement = choose.pick([`"${entry.value}"`, 'one', '[1]']);
  else if (typeof entry.value === 'boolean') replacement = choose.pick(['"true"', 'yes', '1']);
  else {
    // A list written as its first item: replace the whole `[...]`.
    const items = entry.value as Data[];
    const first = scalar(items[0] as string, true);
    const text = subject.rendered[entry.file]!.text;
    const line = text.split('\n')[entry.placed.value.line - 1]!;
    const start = entry.placed.value.col - 1;
    const listText = `[${items.map((i) => scalar(i as string, true)).join(', ')}]`;
    if (!line.startsWith(listText, start)) return null;
    const lines = text.split('\n');
    lines[entry.placed.value.line - 1] = line.slice(0, start) + first + line.slice(start + listText.length);
    return { what: `\`${entry.path.join('.')}\` written as one item`, files: withFile(subject, entry.file, lines.join('\n')), file: entry.file, line: entry.placed.value.line, col: entry.placed.value.col, codes: ['wrong-type'] };
  }
  return replaceValue(subject, entry, replacement, `\`${entry.path.join('.')}\` given ${replacement}`, ['wrong-type']);
}
