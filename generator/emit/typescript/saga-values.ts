// The code of a saga mapping (SagaValue): what a step's or compensation's input, or the saga's
// output, is built from. Paths read the typed locals the generated run function declares (`input`,
// the saga's input; `outputs`, the earlier steps' outputs; `saga.id`), and the model's conversions
// rebuild a value in the target's shape. With exactOptionalPropertyTypes an optional field may not
// be written as `undefined`, so a value that may be missing is written only when present.
import { resolveType } from '../../model/lookup.js';
import type { EndpointModel, MeshModel, RecordTypeModel, SagaConversion, OrchestratedSagaModel, SagaValue, TypeRef } from '../../model/types.js';
import { quote } from './code.js';
import type { Expr, ObjectExpr } from './saga-expr.js';

/** A type as the code sees it: a TypeRef and the scope its names resolve in. */
interface ScopedType {
  ref: TypeRef;
  scope: string | null;
}

/**
 * The endpoint `service.endpoint` of the model; a miss is a generator bug (the checks passed).
 *
 * @param model - the mesh
 * @param service - the service's name
 * @param endpoint - the endpoint's name
 * @example findEndpoint(model, 'users', 'getUser').input // 'GetUserInput'
 */
export function findEndpoint(model: MeshModel, service: string, endpoint: string): EndpointModel {
  const found = model.services.find((s) => s.name === service)?.endpoints.find((e) => e.name === endpoint);
  if (!found) throw new Error(`internal: saga step calls ${service}.${endpoint}, which is not in the model`);
  return found;
}

/**
 * What a mapping reads: the saga's input, and the outputs of which steps (sorted, no repeats).
 *
 * @param value - the mapping
 * @example readsOf({ kind: 'path', root: 'step', step: 'reserve', path: ['id'], convert: { kind: 'same' } }) // { input: false, steps: ['reserve'] }
 */
export function readsOf(value: SagaValue): { input: boolean; steps: string[] } {
  let input = false;
  const steps = new Set<string>();
  const walk = (v: SagaValue): void => {
    if (v.kind === 'object') v.fields.forEach((f) => walk(f.value));
    else if (v.kind === 'path' && v.root === 'input') input = true;
    else if (v.kind === 'path' && v.root === 'step') steps.add(v.step);
  };
  walk(value);
  return { input, steps: [...steps].sort() };
}

function record(model: MeshModel, type: ScopedType, what: string): RecordTypeModel {
  const found = type.ref.kind === 'ref' ? resolveType(model, type.scope, type.ref.name) : undefined;
  if (found?.kind !== 'record') throw new Error(`internal: ${what} is not a record`);
  return found;
}

/**
 * The output type of a step's endpoint, in the scope of the service that declares the endpoint.
 *
 * @param model - the mesh
 * @param saga - the saga
 * @param step - the step's name
 * @example stepOutput(model, placeOrder, 'reserve') // { ref: { kind: 'ref', name: 'Reservation' }, scope: 'stock' }
 */
function stepOutput(model: MeshModel, saga: OrchestratedSagaModel, step: string): ScopedType {
  const found = saga.steps.find((s) => s.name === step);
  if (!found) throw new Error(`internal: saga ${saga.name} reads step ${step}, which it does not have`);
  const { output } = findEndpoint(model, found.call.service, found.call.endpoint);
  if (!output) throw new Error(`internal: saga ${saga.name} reads step ${step}, whose endpoint has no output`);
  const ref: TypeRef = { kind: 'ref', name: output.type };
  return { ref: output.list ? { kind: 'array', items: ref } : ref, scope: found.call.service };
}

/** A path's code, and whether it may be undefined (an optional field on the way). */
function pathCode(model: MeshModel, saga: OrchestratedSagaModel, value: Extract<SagaValue, { kind: 'path' }>): { code: string; optional: boolean } {
  if (value.root === 'saga') {
    if (value.path.join('.') !== 'id') throw new Error(`internal: saga.${value.path.join('.')} is not a saga field`);
    return { code: 'saga.id', optional: false };
  }
  const fromStep = value.root === 'step' ? value.step : null;
  let code = fromStep === null ? 'input' : `outputs.${fromStep}`;
  let type: ScopedType = fromStep === null ? { ref: { kind: 'ref', name: saga.input }, scope: saga.service } : stepOutput(model, saga, fromStep);
  let optional = false;
  for (const name of value.path) {
    const owner = record(model, type, `the value at ${code}`);
    const field = owner.fields.find((f) => f.name === name);
    if (!field) throw new Error(`internal: ${owner.name} has no field ${name}`);
    code += `${optional ? '?.' : '.'}${name}`;
    optional ||= field.optional;
    type = { ref: field.type, scope: owner.owner };
  }
  return { code, optional };
}

/**
 * `source` rebuilt as `convert` says: as it is, copied field by field (an optional target field only
 * when the source has it), or item by item. `depth` numbers the item variables of nested lists.
 *
 * @param source - the code of the value converted (a property path: it is repeated)
 * @param convert - the conversion
 * @param depth - how many lists enclose it (default 0)
 * @example converted('input.lines', { kind: 'list', items: { kind: 'same' } }) // 'input.lines.map((item) => item)'
 */
export function converted(source: string, convert: SagaConversion, depth = 0): Expr {
  switch (convert.kind) {
    case 'same':
      return source;
    case 'list': {
      const item = depth === 0 ? 'item' : `item${depth + 1}`;
      return { kind: 'map', list: source, item, body: converted(item, convert.items, depth + 1) };
    }
    case 'record':
      return {
        kind: 'object',
        entries: convert.fields.map((f) => ({
          key: f.name,
          value: converted(`${source}.${f.name}`, f.convert, depth),
          ...(f.optional && { when: `${source}.${f.name} !== undefined` }),
        })),
      };
  }
}

/**
 * The code of `value`, built for a target of type `target` (what an object's fields are checked
 * against: the endpoint's input, the saga's output type), and whether it may be undefined.
 *
 * @param model - the mesh
 * @param saga - the saga the mapping belongs to
 * @param value - the mapping
 * @param target - the type it builds, with the scope its name resolves in
 * @example valueExpr(model, saga, { kind: 'literal', value: 'EUR' }, target).expr // "'EUR'"
 */
export function valueExpr(
  model: MeshModel,
  saga: OrchestratedSagaModel,
  value: SagaValue,
  target: { ref: TypeRef; scope: string | null },
): { expr: Expr; optional: boolean } {
  switch (value.kind) {
    case 'literal':
      return { expr: typeof value.value === 'string' ? quote(value.value) : String(value.value), optional: false };
    case 'path': {
      const { code, optional } = pathCode(model, saga, value);
      return { expr: converted(code, value.convert), optional };
    }
    case 'object': {
      const type = record(model, target, `the target of an object mapping in saga ${saga.name}`);
      const entries: ObjectExpr['entries'] = value.fields.map(({ name, value: fieldValue }) => {
        const field = type.fields.find((f) => f.name === name);
        if (!field) throw new Error(`internal: saga ${saga.name} maps ${name}, which ${type.name} does not have`);
        const { expr, optional } = valueExpr(model, saga, fieldValue, { ref: field.type, scope: type.owner });
        // Only a path may be missing, and only into an optional field (the checks see to it): written when present.
        const when = optional && fieldValue.kind === 'path' ? `${pathCode(model, saga, fieldValue).code} !== undefined` : undefined;
        return when === undefined ? { key: name, value: expr } : { key: name, value: expr, when };
      });
      return { expr: { kind: 'object', entries }, optional: false };
    }
  }
}
