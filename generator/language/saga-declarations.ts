// What a service's sagas add to the spec: the types the model synthesizes in the service's scope
// (`SagaState`, `SagaFailure`, and per saga `<Saga>Status`, `<Saga>Completed`, `<Saga>Failed`) and the
// events the service publishes when a saga ends (`<saga>.completed`, `<saga>.failed`). Declared in the
// index like the user's own, after them, so a clash is reported on the saga and subscribers in other
// services find the events before their subscriptions are checked.
import { SAGA_SHARED_TYPES, sagaEventNames, sagaTypeNames } from '../naming/index.js';
import { declareType, type Declared, type SagaTypeRole, type SpecIndex } from './collect.js';
import type { Diagnostic } from './diagnostics.js';
import type { SpecPath } from './load.js';
import { isChoreographed, type RawField, type RawService, type RawTypeDecl } from './raw.js';
import { resolveSaga } from './saga-resolve.js';

/** The states of a saga, as the runtime names them (runtime/saga SagaState), in proto order. */
export const SAGA_STATES = ['running', 'compensating', 'completed', 'compensated', 'stuck'] as const;

/**
 * Declares every service's saga types and events in the index; returns the clashes with the user's
 * names, positioned on the saga.
 *
 * @param index the declarations collect() gathered (sagas already checked by the schema)
 * @example declareSagas(index) // [] and index.types has `orders.PlaceOrderStatus`, index.events `placeOrder.completed`
 */
export function declareSagas(index: SpecIndex): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const service of index.services.values()) {
    const sagas = Object.keys(service.raw.sagas ?? {});
    const first = sagas[0];
    if (first === undefined) continue;
    const declare = (saga: string, role: SagaTypeRole, name: string, raw: RawTypeDecl, what: string) => {
      const problem = declareType(
        index,
        { form: 'saga', name, raw, doc: service.doc, path: ['sagas', saga], owner: service.name, saga, role },
        (at, fix) => `saga \`${saga}\` ${what} \`${name}\`, which is ${at}${fix}`,
        `; rename that type: the sagas of \`${service.name}\` need the name`,
      );
      if (problem) diagnostics.push(problem);
    };
    // Shared by the service's sagas: reported on the first saga, the one that needs them first.
    declare(first, 'state', SAGA_SHARED_TYPES.state, sagaStateType(), 'has its state in the synthesized enum');
    declare(first, 'failure', SAGA_SHARED_TYPES.failure, sagaFailureType(), 'reports why it failed in the synthesized type');
    for (const saga of sagas) {
      const output = sagaOutputType(index, service, saga);
      const names = sagaTypeNames(saga);
      declare(saga, 'status', names.status, sagaStatusType(saga, output), 'answers its status in the synthesized type');
      declare(saga, 'completed', names.completed, sagaCompletedType(saga, output), 'publishes its completion with the synthesized payload');
      declare(saga, 'failed', names.failed, sagaFailedType(saga), 'publishes its failure with the synthesized payload');
      declareEvents(index, service, saga);
    }
  }
  return diagnostics;
}

/** The saga's two events; a name the mesh already declares stays the mesh's (the saga checks report the clash). */
function declareEvents(index: SpecIndex, service: Declared<RawService>, saga: string): void {
  const events = sagaEventNames(saga);
  const types = sagaTypeNames(saga);
  const path: SpecPath = ['sagas', saga];
  const add = (name: string, payload: string, description: string) => {
    if (index.events.has(name)) return;
    index.events.set(name, { name, raw: { payload, description }, doc: service.doc, path, owner: service.name, saga });
  };
  add(events.completed, types.completed, `Saga \`${saga}\` of ${service.name} completed.`);
  add(events.failed, types.failed, `Saga \`${saga}\` of ${service.name} failed: it was compensated, or is stuck.`);
}

/** The name of the saga's output type, null when it has none or its output does not resolve (the saga checks say why). */
function sagaOutputType(index: SpecIndex, service: Declared<RawService>, saga: string): string | null {
  const raw = service.raw.sagas?.[saga];
  // A choreographed saga has no output (its checks report one written).
  if (raw === undefined || isChoreographed(raw) || raw.output === undefined) return null;
  return resolveSaga(index, service, saga, raw).saga.output?.type ?? null;
}

const text = (field: number, description?: string): RawField => ({ type: 'string', field, ...(description !== undefined && { description }) });

function sagaStateType(): RawTypeDecl {
  return { description: 'Where a saga is: running its steps, compensating them, or ended (completed, compensated, stuck).', enum: [...SAGA_STATES] };
}

function sagaFailureType(): RawTypeDecl {
  return {
    description: 'Why a saga was compensated or is stuck: the step that failed and the error it answered.',
    fields: { step: text(1, 'The step that failed.'), code: text(2, 'The error code it answered (a declared one, or the runtime\'s).'), message: text(3) },
  };
}

function sagaStatusType(saga: string, output: string | null): RawTypeDecl {
  const fields: Record<string, RawField> = {
    sagaId: text(1, 'The saga\'s id.'),
    state: { type: SAGA_SHARED_TYPES.state, field: 2 },
  };
  if (output !== null) fields.output = { type: output, field: 3, optional: true, description: 'Set once the saga completed.' };
  fields.failure = { type: SAGA_SHARED_TYPES.failure, field: output === null ? 3 : 4, optional: true, description: 'Set once the saga is compensating, compensated or stuck.' };
  return { description: `The status of a \`${saga}\` saga.`, fields };
}

function sagaCompletedType(saga: string, output: string | null): RawTypeDecl {
  const fields: Record<string, RawField> = { sagaId: text(1, 'The saga\'s id.') };
  if (output !== null) fields.output = { type: output, field: 2 };
  return { description: `The payload of \`${sagaEventNames(saga).completed}\`.`, fields };
}

function sagaFailedType(saga: string): RawTypeDecl {
  return {
    description: `The payload of \`${sagaEventNames(saga).failed}\`.`,
    fields: { sagaId: text(1, 'The saga\'s id.'), state: { type: SAGA_SHARED_TYPES.state, field: 2 }, failure: { type: SAGA_SHARED_TYPES.failure, field: 3 } },
  };
}
