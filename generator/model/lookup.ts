// Finding a type by the name a spec place uses for it. Names are scoped (ARCHITECTURE.md): in a
// service, a name means the service's own type, else the mesh-level one.
import { typeKey } from '../naming/index.js';
import type { ChoreographedSagaModel, ChoreographyStepModel, EndpointModel, GroupModel, MeshModel, OrchestratedSagaModel, RecordTypeModel, SagaModel, ServiceModel, TypeModel } from './types.js';

const indexes = new WeakMap<MeshModel, Map<string, TypeModel>>();

function byKey(model: MeshModel): Map<string, TypeModel> {
  let index = indexes.get(model);
  if (!index) indexes.set(model, (index = new Map(model.types.map((t) => [typeKey(t.owner, t.name), t]))));
  return index;
}

/** The type `name` means in `scope` (a service's name, or null for the mesh); a miss is a generator bug. */
export function resolveType(model: MeshModel, scope: string | null, name: string): TypeModel {
  const types = byKey(model);
  const found = (scope === null ? undefined : types.get(typeKey(scope, name))) ?? types.get(name);
  if (!found) throw new Error(`internal: type ${name} is not in the model${scope === null ? '' : ` (as seen from ${scope})`}`);
  return found;
}

/** Like resolveType, for a place that needs a record (an input, an output, a payload). */
export function resolveRecord(model: MeshModel, scope: string | null, name: string): RecordTypeModel {
  const type = resolveType(model, scope, name);
  if (type.kind !== 'record') throw new Error(`internal: ${name} is used as a record but is an enum`);
  return type;
}

/** The mesh-wide key of a type (its name in the JSON Schema registry). */
export function keyOf(type: Pick<TypeModel, 'owner' | 'name'>): string {
  return typeKey(type.owner, type.name);
}

/**
 * The groups of services deployed as one process (`deploy.groups`), sorted by name.
 *
 * @param model the mesh; a model without `groups` has none
 * @example groupsOf(model).map((g) => g.name) // ['core']
 */
export function groupsOf(model: MeshModel): readonly GroupModel[] {
  return model.groups ?? [];
}

/**
 * The group that deploys `service`, or null when it runs as a process of its own.
 *
 * @param model the mesh
 * @param service a service's name
 * @example groupOf(model, 'users')?.name // 'core'
 */
export function groupOf(model: MeshModel, service: string): GroupModel | null {
  return groupsOf(model).find((g) => g.services.includes(service)) ?? null;
}

/**
 * The sagas a service runs; none when its model was built by hand without them.
 *
 * @param service - the service's model
 * @example sagasOf(orders).map((s) => s.name) // ['placeOrder']
 */
export function sagasOf(service: ServiceModel): readonly SagaModel[] {
  return service.sagas ?? [];
}

/**
 * The orchestrated sagas a service runs (those its generated `sagas.ts` defines).
 *
 * @param service - the service
 * @example orchestratedSagasOf(orders).map((s) => s.name) // ['placeOrder']
 */
export function orchestratedSagasOf(service: ServiceModel): OrchestratedSagaModel[] {
  return sagasOf(service).filter((s): s is OrchestratedSagaModel => s.kind === 'orchestrated');
}

/**
 * The choreographed sagas a service owns (keeps the log of), in the order of its sagas.
 *
 * @param service - the service
 * @example ownedChoreographiesOf(orders).map((s) => s.name) // ['fulfilOrder']
 */
export function ownedChoreographiesOf(service: ServiceModel): ChoreographedSagaModel[] {
  return sagasOf(service).filter((s): s is ChoreographedSagaModel => s.kind === 'choreographed');
}

/**
 * Every choreographed saga of the mesh, whoever owns it, sorted by name.
 *
 * @param model - the mesh
 * @example choreographiesOf(model).map((s) => s.name) // ['fulfilOrder']
 */
export function choreographiesOf(model: MeshModel): ChoreographedSagaModel[] {
  return model.services
    .flatMap((s) => ownedChoreographiesOf(s))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A step of a choreographed saga a service takes part in, with the events that trigger its
 * compensation: the `fails` events of the saga's later steps (a failure after this step took effect).
 *
 * @example
 * const part: ChoreographyPart = { saga, step, compensateOn: ['stock.failed'] };
 */
export interface ChoreographyPart {
  saga: ChoreographedSagaModel;
  step: ChoreographyStepModel;
  /** Empty for a step without `compensate`. */
  compensateOn: string[];
}

/**
 * The steps of the mesh's choreographed sagas that `service` takes (its event hooks), by saga name
 * then step order.
 *
 * @param model - the mesh
 * @param service - the participant's name
 * @example choreographyPartsOf(model, 'payments').map((p) => p.step.compensate) // ['refundCharge']
 */
export function choreographyPartsOf(model: MeshModel, service: string): ChoreographyPart[] {
  return choreographiesOf(model).flatMap((saga) =>
    saga.choreography.steps.flatMap((step, i): ChoreographyPart[] => {
      if (step.service !== service) return [];
      const later = saga.choreography.steps.slice(i + 1).flatMap((s) => (s.fails === null ? [] : [s.fails]));
      return [{ saga, step, compensateOn: step.compensate === null ? [] : [...new Set(later)] }];
    }),
  );
}

/**
 * The compensation hooks `service` implements (its `compensations` hook object), in the order of
 * choreographyPartsOf.
 *
 * @param model - the mesh
 * @param service - the participant's name
 * @example compensationsOf(model, 'payments').map((p) => p.step.compensate) // ['refundCharge']
 */
export function compensationsOf(model: MeshModel, service: string): (ChoreographyPart & { step: { compensate: string } })[] {
  return choreographyPartsOf(model, service).filter((p): p is ChoreographyPart & { step: { compensate: string } } => p.step.compensate !== null);
}

/**
 * The endpoints the user's hooks implement: all but those that start a saga or answer its status,
 * which the runtime answers itself.
 *
 * @param service - the service
 * @example hookedEndpoints(orders).map((e) => e.name) // ['createOrder'] (not placeOrder, getPlacement)
 */
export function hookedEndpoints(service: ServiceModel): EndpointModel[] {
  return service.endpoints.filter((e) => e.startsSaga === undefined && e.sagaStatus === undefined);
}
