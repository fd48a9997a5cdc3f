// The model of a service's sagas, from the resolution the checks made (generator/language/saga-resolve.ts):
// the model holds exactly the endpoints, mappings and conversions the checks accepted.
import type { Declared, SpecIndex } from '../language/collect.js';
import type { SpecPath } from '../language/load.js';
import { resolveChoreography } from '../language/choreography-resolve.js';
import { isChoreographed, type RawChoreographedSaga, type RawService } from '../language/raw.js';
import { resolveSaga } from '../language/saga-resolve.js';
import { compare } from './order.js';
import type { ChoreographedSagaModel, SagaModel, SagaStepModel, SourceRef } from './types.js';

/**
 * The sagas a service declares, sorted by name, with their steps in the order they run.
 *
 * @param index the spec's declarations, which passed every check
 * @param service the service that declares the sagas
 * @param sourceOf the position of a spec path in the service's file
 * @example buildSagas(index, orders, sourceOf).map((s) => s.name) // ['placeOrder']
 */
export function buildSagas(index: SpecIndex, service: Declared<RawService>, sourceOf: (path: SpecPath) => SourceRef): SagaModel[] {
  return Object.entries(service.raw.sagas ?? {})
    .map(([name, raw]): SagaModel => {
      if (isChoreographed(raw)) return buildChoreography(index, service, name, raw, sourceOf);
      const { saga, problems } = resolveSaga(index, service, name, raw);
      if (problems.length > 0) throw new Error(`internal: saga ${service.name}.${name} passed the checks with problems: ${problems.map((p) => p.code).join(', ')}`);
      const steps = saga.steps.map((step, i): SagaStepModel => {
        const call = required(step.call, name, step.name);
        const compensate = step.compensate;
        return {
          name: step.name,
          call,
          input: required(step.input, name, step.name),
          compensate: compensate === null ? null : { service: compensate.service, endpoint: compensate.endpoint, input: required(compensate.input, name, step.name) },
          timeoutMs: step.timeoutMs,
          source: sourceOf(['sagas', name, 'steps', i]),
        };
      });
      return {
        kind: 'orchestrated',
        name,
        ...(raw.description !== undefined && { description: raw.description }),
        service: service.name,
        input: raw.input,
        output: saga.output,
        steps,
        source: sourceOf(['sagas', name]),
      };
    })
    .sort((a, b) => compare(a.name, b.name));
}

/** A choreographed saga: its events and the steps, each with the event hook its service reacts with. */
function buildChoreography(index: SpecIndex, service: Declared<RawService>, name: string, raw: RawChoreographedSaga, sourceOf: (path: SpecPath) => SourceRef): ChoreographedSagaModel {
  const { steps, problems } = resolveChoreography(index, service, name, raw);
  if (problems.length > 0) throw new Error(`internal: saga ${service.name}.${name} passed the checks with problems: ${problems.map((p) => p.code).join(', ')}`);
  return {
    kind: 'choreographed',
    name,
    ...(raw.description !== undefined && { description: raw.description }),
    service: service.name,
    choreography: {
      correlate: raw.correlate,
      starts: raw.starts,
      completes: raw.completes,
      steps: steps.map((step, i) => ({ ...step, source: sourceOf(['sagas', name, 'choreography', i]) })),
    },
    source: sourceOf(['sagas', name]),
  };
}

/** A part the checks resolved; missing only when a check is missing (a generator bug). */
function required<T>(value: T | null, saga: string, step: string): T {
  if (value === null) throw new Error(`internal: step ${step} of saga ${saga} passed the checks unresolved`);
  return value;
}
