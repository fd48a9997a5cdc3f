// Resolves one saga of a service against the spec's declarations: the endpoints its steps and
// compensations call, and every mapping, parsed (saga-values.ts) and type-checked (saga-types.ts).
// The semantic checks report its problems; the model builder, run only when there are none, takes
// its resolved values. One resolver for both, so the model holds exactly what the checks accepted.
import { closest } from '../../common/closest.js';
import { parseDuration } from '../../common/units.js';
import { synthesizedInputName, typeKey } from '../naming/index.js';
import { maybeDeclared, maybeService, otherOwners, unknownName, visibleTypeNames, type Declared, type SpecIndex } from './collect.js';
import { didYouMean } from './diagnostics.js';
import type { SpecPath } from './load.js';
import type { RawOrchestratedSaga, RawSagaValue, RawService } from './raw.js';
import { parseSagaValue, showSagaExpression, type SagaExpression } from './saga-values.js';
import { compatibility, enumValues, isEnum, recordFieldsOf, showType, typeOf, type Conversion, type SagaType } from './saga-types.js';

/** A resolved saga value; the same shape as the model's SagaValue. */
export type ResolvedValue =
  | { kind: 'path'; root: 'input' | 'saga'; path: string[]; convert: Conversion }
  | { kind: 'path'; root: 'step'; step: string; path: string[]; convert: Conversion }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'object'; fields: { name: string; value: ResolvedValue }[] };

/** A mistake in a saga, at a path inside the service file (`within`: text to point at inside a scalar). */
export interface SagaProblem {
  at: SpecPath;
  code: string;
  message: string;
  within?: string | undefined;
  /** Point at the last occurrence of `within` (the endpoint in `users.users`). */
  last?: boolean;
  key?: boolean;
}

export interface ResolvedStep {
  name: string;
  call: { service: string; endpoint: string } | null;
  input: ResolvedValue | null;
  compensate: { service: string; endpoint: string; input: ResolvedValue | null } | null;
  timeoutMs: number | null;
}

export interface ResolvedSaga {
  name: string;
  steps: ResolvedStep[];
  output: { type: string; value: ResolvedValue } | null;
}

/** What a mapping may read: the saga's input, and the outputs of the steps it may see. */
interface Reading {
  input: SagaType;
  /** Steps before the one mapped, by name, with their output type (null: the endpoint has none, undefined: not known). */
  earlier: Map<string, SagaType | null | undefined>;
  /** Every step's index, to tell a later step from an unknown one. */
  order: Map<string, number>;
  /** The index of the step being mapped (Infinity for the saga's output). */
  position: number;
  /** Set for a compensation: the step it undoes, whose output it must not read. */
  undoing?: string;
}

/**
 * Resolves the saga `name` of `service`, collecting every problem.
 *
 * @param index the spec's declarations
 * @param service the service that declares the saga
 * @param name the saga's name (`sagas.<name>`)
 * @param raw the saga as the schema accepted it
 * @example resolveSaga(index, orders, 'placeOrder', raw).problems // [] for a sound saga
 */
export function resolveSaga(index: SpecIndex, service: Declared<RawService>, name: string, raw: RawOrchestratedSaga): { saga: ResolvedSaga; problems: SagaProblem[] } {
  const problems: SagaProblem[] = [];
  const at: SpecPath = ['sagas', name];
  const inputType = typeOf(index, service.name, raw.input);
  if (inputType.kind === 'unknown' && !maybeDeclared(index, service.name, raw.input)) {
    const owners = otherOwners(index, service.name, raw.input);
    problems.push(owners.length > 0
      ? { at: [...at, 'input'], code: 'cross-service-type', message: `\`${raw.input}\` belongs to service \`${owners[0]}\`; a saga's input is a type of its service or a mesh-level one: move \`${raw.input}\` to mesh.yaml \`types\` to share it` }
      : { at: [...at, 'input'], code: 'unknown-type', message: unknownName('type', raw.input, visibleTypeNames(index, service.name)) });
  }
  if (inputType.kind === 'named' && !recordFieldsOf(index, inputType)) {
    problems.push({ at: [...at, 'input'], code: 'not-a-record', message: `the input of a saga must be a record type, and \`${raw.input}\` is an enum` });
  }
  const order = new Map<string, number>();
  raw.steps.forEach((step, i) => {
    const first = order.get(step.name);
    if (first === undefined) order.set(step.name, i);
    else problems.push({ at: [...at, 'steps', i, 'name'], code: 'duplicate-step', message: `step \`${step.name}\` is already declared (step ${first + 1}); give each step its own name` });
  });

  const outputs = new Map<string, SagaType | null | undefined>();
  const steps: ResolvedStep[] = raw.steps.map((step, i) => {
    const stepAt: SpecPath = [...at, 'steps', i];
    const earlier = new Map(outputs);
    const call = resolveCall(index, service, step.call, [...stepAt, 'call'], problems);
    const reading: Reading = { input: inputType, earlier, order, position: i };
    const input = call === null ? null : mapInput(index, reading, call, step.input, [...stepAt, step.input === undefined ? 'call' : 'input'], step.input !== undefined, problems);
    let compensate: ResolvedStep['compensate'] = null;
    if (step.compensate !== undefined) {
      const form = typeof step.compensate === 'string' ? { call: step.compensate } : step.compensate;
      const compensateAt: SpecPath = typeof step.compensate === 'string' ? [...stepAt, 'compensate'] : [...stepAt, 'compensate', 'call'];
      const target = resolveCall(index, service, form.call, compensateAt, problems);
      const mappingAt: SpecPath = form.input === undefined ? compensateAt : [...stepAt, 'compensate', 'input'];
      const value = target === null ? null : mapInput(index, { ...reading, undoing: step.name }, target, form.input, mappingAt, form.input !== undefined, problems);
      if (target !== null) compensate = { service: target.service, endpoint: target.endpoint, input: value };
    }
    // A duplicate name keeps the first step's output: later references mean that one.
    if (!outputs.has(step.name)) outputs.set(step.name, call === null ? undefined : call.output);
    return { name: step.name, call: call && { service: call.service, endpoint: call.endpoint }, input, compensate, timeoutMs: step.timeout === undefined ? null : (parseDuration(step.timeout) ?? null) };
  });

  let output: ResolvedSaga['output'] = null;
  if (raw.output !== undefined) output = resolveOutput(index, service, { input: inputType, earlier: outputs, order, position: Infinity }, raw.output, [...at, 'output'], problems);
  return { saga: { name, steps, output }, problems };
}

interface Target {
  service: string;
  endpoint: string;
  /** The endpoint's input type (a record; unknown when nobody could check it). */
  input: SagaType;
  /** The endpoint's output type, null when it answers none. */
  output: SagaType | null;
}

/** The endpoint `svc.endpoint` names, when this service may call it. */
function resolveCall(index: SpecIndex, service: Declared<RawService>, text: string, at: SpecPath, problems: SagaProblem[]): Target | null {
  const [callee = '', endpoint = ''] = text.split('.');
  const target = index.services.get(callee);
  if (!target) {
    if (!maybeService(index, callee)) {
      problems.push({ at, code: 'unknown-service', message: `service \`${callee}\` is not declared${didYouMean(callee, index.services.keys())}`, within: callee });
    }
    return null;
  }
  if (callee !== service.name && service.raw.calls?.[callee] === undefined) {
    problems.push({
      at, code: 'service-not-called', within: callee,
      message: `\`${service.name}\` does not call \`${callee}\`: a saga step calls through the service's generated clients; add \`${callee}\` to \`calls\`${didYouMean(callee, Object.keys(service.raw.calls ?? {}))}`,
    });
    return null;
  }
  const endpoints = Object.keys(target.raw.endpoints ?? {});
  const raw = target.raw.endpoints?.[endpoint];
  if (!raw) {
    const hint = didYouMean(endpoint, endpoints) || (endpoints.length > 0 ? ` (its endpoints: ${endpoints.map((e) => `\`${e}\``).join(', ')})` : ' (it has no endpoints)');
    problems.push({ at, code: 'unknown-endpoint', message: `\`${callee}\` has no endpoint \`${endpoint}\`${hint}`, within: endpoint, last: true });
    return null;
  }
  const input: SagaType = raw.input !== undefined
    ? typeOf(index, callee, raw.input)
    : (() => {
        const declaration = index.types.get(typeKey(callee, synthesizedInputName(endpoint)));
        return declaration ? { kind: 'named', declaration } : { kind: 'unknown' };
      })();
  return { service: callee, endpoint, input, output: raw.output === undefined ? null : typeOf(index, callee, raw.output) };
}

/** A step's (or compensation's) input: the mapping written, or each field taken by name from the saga's input. */
function mapInput(index: SpecIndex, reading: Reading, target: Target, mapping: Record<string, RawSagaValue> | undefined, at: SpecPath, written: boolean, problems: SagaProblem[]): ResolvedValue | null {
  const fields = recordFieldsOf(index, target.input);
  if (!fields) return null;
  if (written) {
    return resolveValue(index, reading, parseSagaValue(mapping ?? {}), { type: target.input, optional: false }, at, problems);
  }
  const sagaInput = recordFieldsOf(index, reading.input);
  if (!sagaInput) return null;
  const out: { name: string; value: ResolvedValue }[] = [];
  for (const field of fields) {
    const source = sagaInput.find((f) => f.name === field.name);
    if (!source) {
      if (!field.optional) {
        problems.push({
          at, code: 'missing-field', within: `${target.service}.${target.endpoint}`,
          message: `\`${target.service}.${target.endpoint}\` needs the field \`${field.name}\` of \`${showType(target.input)}\`, and the saga's input \`${showType(reading.input)}\` has no field of that name to take it from; map it: \`input: { ${field.name}: … }\``,
        });
      }
      continue;
    }
    const value = resolvePath(index, reading, { kind: 'path', root: 'input', path: [field.name] }, field, at, problems, `${target.service}.${target.endpoint}`);
    if (value) out.push({ name: field.name, value });
  }
  return { kind: 'object', fields: out };
}

interface Expected {
  type: SagaType;
  optional: boolean;
}

function resolveValue(index: SpecIndex, reading: Reading, expression: SagaExpression, expected: Expected, at: SpecPath, problems: SagaProblem[]): ResolvedValue | null {
  if (expression.kind === 'invalid') {
    problems.push({ at, code: 'invalid-saga-value', message: expression.message });
    return null;
  }
  if (expression.kind === 'literal') return resolveLiteral(expression.value, expected, at, problems);
  if (expression.kind === 'path') return resolvePath(index, reading, expression, expected, at, problems);
  const fields = recordFieldsOf(index, expected.type);
  if (!fields) {
    if (expected.type.kind !== 'unknown') problems.push({ at, code: 'incompatible-type', message: `an object does not fit \`${showType(expected.type)}\`: only a record is built field by field` });
    return null;
  }
  const out: { name: string; value: ResolvedValue }[] = [];
  const written = new Map(expression.fields.map((f) => [f.name, f.value]));
  for (const { name } of expression.fields) {
    if (fields.some((f) => f.name === name)) continue;
    problems.push({
      at: [...at, name], code: 'extra-field', key: true,
      message: `\`${showType(expected.type)}\` has no field \`${name}\`${didYouMean(name, fields.map((f) => f.name).filter((f) => !written.has(f)))}`,
    });
  }
  for (const field of fields) {
    const value = written.get(field.name);
    if (value === undefined) {
      if (!field.optional) problems.push({ at, code: 'missing-field', key: at.length > 0, message: `the required field \`${field.name}\` of \`${showType(expected.type)}\` is not mapped` });
      continue;
    }
    const resolved = resolveValue(index, reading, value, field, [...at, field.name], problems);
    if (resolved) out.push({ name: field.name, value: resolved });
  }
  return { kind: 'object', fields: out };
}

function resolveLiteral(value: string | number | boolean | null, expected: Expected, at: SpecPath, problems: SagaProblem[]): ResolvedValue | null {
  const literal: ResolvedValue = { kind: 'literal', value };
  const type = expected.type;
  if (type.kind === 'unknown') return literal;
  const shown = showSagaExpression({ kind: 'literal', value });
  const fail = (why: string) => {
    problems.push({ at, code: 'incompatible-type', message: `${why}` });
    return null;
  };
  if (value === null) return expected.optional ? literal : fail(`null does not fit the required \`${showType(type)}\`: only an optional field may be null`);
  const primitive = type.kind === 'primitive' ? type.name : undefined;
  if (typeof value === 'boolean') return primitive === 'boolean' ? literal : fail(`\`${shown}\` does not fit \`${showType(type)}\``);
  if (typeof value === 'number') {
    if (primitive === 'number' || (primitive === 'integer' && Number.isInteger(value))) return literal;
    return fail(`\`${shown}\` does not fit \`${showType(type)}\`${primitive === 'integer' ? ': an integer has no fraction' : ''}`);
  }
  if (primitive === 'string') return literal;
  if (type.kind === 'named' && isEnum(type)) {
    const values = enumValues(type.declaration);
    if (values.includes(value)) return literal;
    return fail(`\`${shown}\` is not a value of \`${showType(type)}\`${didYouMean(value, values) || ` (its values: ${values.map((v) => `\`${v}\``).join(', ')})`}`);
  }
  return fail(`\`${shown}\` does not fit \`${showType(type)}\`${type.kind === 'primitive' ? `; write the ${type.name} itself, unquoted` : ''}`);
}

/** A path's value: its source type found field by field, then fitted to what the place expects. */
function resolvePath(index: SpecIndex, reading: Reading, expression: SagaExpression & { kind: 'path' }, expected: Expected, at: SpecPath, problems: SagaProblem[], within?: string): ResolvedValue | null {
  const shown = showSagaExpression(expression);
  const source = sourceOf(index, reading, expression, at, problems, within);
  if (!source) return null;
  const fit = compatibility(index, expected.type, source.type);
  if ('problem' in fit) {
    // The rules' own "`A` does not fit `B`" is said here with the path's text; keep the reason after it.
    const reason = fit.problem.includes(': ') ? `: ${fit.problem.slice(fit.problem.indexOf(': ') + 2)}` : '';
    problems.push({ at, code: 'incompatible-type', within, message: `\`${shown}\` is \`${showType(source.type)}\`, which does not fit \`${showType(expected.type)}\`${reason}` });
    return null;
  }
  if (source.optional && !expected.optional) {
    problems.push({ at, code: 'optional-into-required', within, message: `\`${shown}\` is optional and may be missing, but the field it fills is required` });
    return null;
  }
  return expression.root === 'step'
    ? { kind: 'path', root: 'step', step: expression.step, path: expression.path, convert: fit.convert }
    : { kind: 'path', root: expression.root, path: expression.path, convert: fit.convert };
}

/** The type found at a path (and whether some field on the way is optional); null after a reported problem. */
function sourceOf(index: SpecIndex, reading: Reading, expression: SagaExpression & { kind: 'path' }, at: SpecPath, problems: SagaProblem[], within?: string): { type: SagaType; optional: boolean } | null {
  const shown = showSagaExpression(expression);
  let type: SagaType;
  if (expression.root === 'saga') return { type: { kind: 'primitive', name: 'string' }, optional: false };
  if (expression.root !== 'step') {
    type = reading.input;
  } else {
    const step = expression.step;
    const position = reading.order.get(step);
    if (step === reading.undoing) {
      problems.push({ at, code: 'compensation-reads-own-step', within: within ?? `steps.${step}`, message: `a compensation never reads its own step's output (\`steps.${step}\`): the step may have been applied with its answer lost; read the saga's input, \`saga.id\` or earlier steps` });
      return null;
    }
    if (position === undefined) {
      problems.push({ at, code: 'unknown-step', within: within ?? step, message: `there is no step \`${step}\`${didYouMean(step, reading.earlier.keys())}` });
      return null;
    }
    if (!reading.earlier.has(step)) {
      const when = position === reading.position ? 'is this very step' : 'runs later';
      problems.push({ at, code: 'step-not-run-yet', within: within ?? step, message: `step \`${step}\` ${when}: a step reads only the outputs of the steps before it` });
      return null;
    }
    const output = reading.earlier.get(step);
    if (output === undefined) return null;
    if (output === null) {
      problems.push({ at, code: 'step-without-output', within: within ?? step, message: `step \`${step}\` calls an endpoint with no \`output\`: there is nothing to read` });
      return null;
    }
    type = output;
  }
  let optional = false;
  const walked = [expression.root === 'step' ? `steps.${expression.step}` : 'input'];
  for (const segment of expression.path) {
    if (type.kind === 'unknown') return { type, optional };
    const fields = recordFieldsOf(index, type);
    if (!fields) {
      problems.push({ at, code: 'unknown-field', within: within ?? segment, message: `\`${walked.join('.')}\` is \`${showType(type)}\`, not a record: \`${shown}\` reads no field \`${segment}\` of it` });
      return null;
    }
    const field = fields.find((f) => f.name === segment);
    if (!field) {
      const near = closest(segment, fields.map((f) => f.name));
      problems.push({ at, code: 'unknown-field', within: within ?? segment, message: `\`${showType(type)}\` (\`${walked.join('.')}\`) has no field \`${segment}\`${near === undefined ? '' : `; did you mean \`${[...walked, near].join('.')}\`?`}` });
      return null;
    }
    walked.push(segment);
    optional ||= field.optional;
    type = field.type;
  }
  return { type, optional };
}

/** The saga's output: a path whose type is a named record the service's scope can name. */
function resolveOutput(index: SpecIndex, service: Declared<RawService>, reading: Reading, text: string, at: SpecPath, problems: SagaProblem[]): ResolvedSaga['output'] {
  const parsed = parseSagaValue(text);
  if (parsed.kind === 'invalid') {
    problems.push({ at, code: 'invalid-saga-value', message: parsed.message });
    return null;
  }
  if (parsed.kind !== 'path') {
    problems.push({ at, code: 'output-not-record', message: `a saga's \`output\` is a path whose type is a named record (e.g. \`steps.createOrder\`), not \`${text}\`` });
    return null;
  }
  const source = sourceOf(index, reading, parsed, at, problems);
  if (!source || source.type.kind === 'unknown') return null;
  const type = source.type;
  const visible = type.kind === 'named' && (type.declaration.owner === null || type.declaration.owner === service.name);
  if (type.kind !== 'named' || !recordFieldsOf(index, type) || source.optional || !visible || type.declaration.form === 'synthesized-input') {
    const why = source.optional ? 'may be missing (a field on the way is optional)' : type.kind === 'named' && recordFieldsOf(index, type) ? `is \`${showType(type)}\`, a type \`${service.name}\` cannot name (its own types and mesh-level ones)` : `is \`${showType(type)}\``;
    problems.push({ at, code: 'output-not-record', message: `a saga's \`output\` is a named record of \`${service.name}\` or a mesh-level one, and \`${text}\` ${why}` });
    return null;
  }
  const value = resolvePath(index, reading, parsed, { type, optional: false }, at, problems);
  return value === null ? null : { type: type.declaration.name, value };
}
