// Resolves one choreographed saga of a service (`sagas.<name>.choreography`) against the spec's
// declarations: its events, the services whose event hooks are its steps, and the compensation hooks.
// The semantic checks report its problems; the model builder, run only when there are none, takes
// the resolved steps. One resolver for both, as for orchestrated sagas (saga-resolve.ts).
import { handlerOf, type RawChoreographedSaga, type RawService } from './raw.js';
import { maybeEvent, maybeService, unknownName, type Declared, type SpecIndex } from './collect.js';
import { didYouMean } from './diagnostics.js';
import type { SpecPath } from './load.js';
import type { SagaProblem } from './saga-resolve.js';
import { recordFieldsOf, showType, typeOf } from './saga-types.js';
import { isPrototypeMember } from './semantic/prototype.js';

/** A step as the checks accepted it: `hook` is the event hook `service` subscribes to `on` with. */
export interface ResolvedChoreographyStep {
  name: string;
  service: string;
  on: string;
  hook: string;
  succeeds: string;
  fails: string | null;
  compensate: string | null;
}

/**
 * Resolves the choreographed saga `name` of `service`, collecting every problem.
 *
 * @param index the spec's declarations
 * @param service the service that declares (owns) the saga
 * @param name the saga's name (`sagas.<name>`)
 * @param raw the saga as the schema accepted it
 * @param compensations the compensation hooks taken so far, `<svc>.<hook>` -> step (default: none);
 *   the checks share one map across the mesh's sagas so two steps never name the same hook
 * @example resolveChoreography(index, orders, 'fulfilOrder', raw).problems // [] for a sound saga
 */
export function resolveChoreography(
  index: SpecIndex,
  service: Declared<RawService>,
  name: string,
  raw: RawChoreographedSaga,
  compensations = new Map<string, string>(),
): { steps: ResolvedChoreographyStep[]; problems: SagaProblem[] } {
  const problems: SagaProblem[] = [];
  const at: SpecPath = ['sagas', name];
  for (const key of ['steps', 'input', 'output'] as const) {
    if (raw[key] === undefined) continue;
    problems.push(key === 'steps'
      ? { at: [...at, 'steps'], code: 'saga-steps-and-choreography', key: true, message: `saga \`${name}\` has both \`steps\` (orchestrated: ${service.name} calls each step) and \`choreography\` (each step an event hook); keep one` }
      : { at: [...at, key], code: 'choreography-not-allowed', key: true, message: `a choreographed saga has no \`${key}\`: it starts with its \`starts\` event and ends with its \`completes\` event; remove \`${key}\`` });
  }
  // Each event's payload is checked once, where the saga first names it.
  const correlatedChecked = new Set<string>();
  const eventAt = (path: SpecPath, event: string): boolean => {
    if (index.events.has(event)) {
      if (!correlatedChecked.has(event)) correlated(index, event, raw.correlate, name, path, problems);
      correlatedChecked.add(event);
      return true;
    }
    if (!maybeEvent(index, event)) problems.push({ at: path, code: 'unknown-event', message: unknownName('event', event, index.events.keys()) });
    return false;
  };
  if (eventAt([...at, 'starts'], raw.starts) && !publishes(service, raw.starts)) {
    problems.push({ at: [...at, 'starts'], code: 'starts-not-published', message: `saga \`${name}\` starts with \`${raw.starts}\`, which \`${service.name}\` does not publish: the saga's owner publishes its start event; add it to \`${service.name}\`'s \`publishes\`${didYouMean(raw.starts, published(service))}` });
  }
  eventAt([...at, 'completes'], raw.completes);

  const seen = new Map<string, number>();
  // The events a step may react to: the start, then each earlier step's success.
  const reachable = [raw.starts];
  const steps: ResolvedChoreographyStep[] = [];
  raw.choreography.forEach((step, i) => {
    const stepAt: SpecPath = [...at, 'choreography', i];
    const first = seen.get(step.step);
    if (first === undefined) seen.set(step.step, i);
    else problems.push({ at: [...stepAt, 'step'], code: 'duplicate-step', message: `step \`${step.step}\` is already declared (step ${first + 1}); give each step its own name` });
    const onKnown = eventAt([...stepAt, 'on'], step.on);
    const succeedsKnown = eventAt([...stepAt, 'succeeds'], step.succeeds);
    const failsKnown = step.fails !== undefined && eventAt([...stepAt, 'fails'], step.fails);
    if (onKnown && !reachable.includes(step.on)) {
      problems.push({ at: [...stepAt, 'on'], code: 'step-trigger', message: `step \`${step.step}\` reacts to \`${step.on}\`, which is neither the saga's \`starts\` nor an earlier step's \`succeeds\`${didYouMean(step.on, reachable)}` });
    }
    reachable.push(step.succeeds);
    const participant = index.services.get(step.service);
    if (!participant) {
      if (!maybeService(index, step.service)) problems.push({ at: [...stepAt, 'service'], code: 'unknown-service', message: `service \`${step.service}\` is not declared${didYouMean(step.service, index.services.keys())}` });
      return;
    }
    const subscription = participant.raw.subscribes?.[step.on];
    if (subscription === undefined && onKnown) {
      problems.push({ at: [...stepAt, 'on'], code: 'service-not-subscribed', message: `\`${step.service}\` does not subscribe to \`${step.on}\`: its event hook for it is the step; add \`subscribes: { ${step.on}: ${step.step} }\` to \`${step.service}\`` });
    }
    for (const [key, event, known] of [['succeeds', step.succeeds, succeedsKnown], ['fails', step.fails, failsKnown]] as const) {
      if (event === undefined || !known || publishes(participant, event)) continue;
      problems.push({ at: [...stepAt, key], code: 'event-not-published', message: `\`${step.service}\` does not publish \`${event}\`: the step's hook publishes it; add it to \`${step.service}\`'s \`publishes\` (or an endpoint's \`emits\`)${didYouMean(event, published(participant))}` });
    }
    if (step.compensate !== undefined) compensationName(participant, step.compensate, name, step.step, compensations, [...stepAt, 'compensate'], problems);
    steps.push({
      name: step.step,
      service: step.service,
      on: step.on,
      hook: subscription === undefined ? '' : handlerOf(subscription),
      succeeds: step.succeeds,
      fails: step.fails ?? null,
      compensate: step.compensate ?? null,
    });
  });
  raw.choreography.forEach((step, i) => {
    if (step.compensate === undefined || raw.choreography.slice(i + 1).some((later) => later.fails !== undefined)) return;
    problems.push({ at: [...at, 'choreography', i, 'compensate'], code: 'compensation-never-runs', message: `no step after \`${step.step}\` has \`fails\`, so nothing ever fails after it took effect: its compensation \`${step.compensate}\` would never run; remove \`compensate\`, or give a later step a \`fails\` event` });
  });
  const last = raw.choreography.at(-1);
  if (last && last.succeeds !== raw.completes) {
    problems.push({ at: [...at, 'completes'], code: 'completes-not-last', message: `saga \`${name}\` completes with \`${raw.completes}\`, and its last step \`${last.step}\` succeeds with \`${last.succeeds}\`: \`completes\` is the last step's \`succeeds\`` });
  }
  return { steps, problems };
}

/** The events a service publishes: its `publishes` and every endpoint's `emits`. */
function published(service: Declared<RawService>): string[] {
  const emitted = Object.values(service.raw.endpoints ?? {}).flatMap((e) => e.emits ?? []);
  return [...new Set([...(service.raw.publishes ?? []), ...emitted])];
}

function publishes(service: Declared<RawService>, event: string): boolean {
  return published(service).includes(event);
}

/** Every event of the saga carries its id: `correlate`, a required string field of the payload. */
function correlated(index: SpecIndex, event: string, correlate: string, saga: string, at: SpecPath, problems: SagaProblem[]): void {
  const declaration = index.events.get(event);
  if (!declaration) return;
  const payload = typeOf(index, declaration.owner ?? null, declaration.raw.payload);
  const fields = recordFieldsOf(index, payload);
  if (!fields) return;
  const field = fields.find((f) => f.name === correlate);
  const fix = `saga \`${saga}\` finds its id in \`${correlate}\` of every event it reacts to or ends with`;
  if (!field) {
    problems.push({ at, code: 'correlate-field', message: `\`${event}\` carries \`${showType(payload)}\`, which has no field \`${correlate}\`: ${fix}${didYouMean(correlate, fields.map((f) => f.name))}` });
  } else if (field.optional || field.type.kind !== 'primitive' || field.type.name !== 'string') {
    problems.push({ at, code: 'correlate-field', message: `\`${showType(payload)}.${correlate}\` (the payload of \`${event}\`) is ${field.optional ? 'optional' : `\`${showType(field.type)}\``}: ${fix}, a required string` });
  }
}

/** A compensation hook is a member of the service's `compensations`: not a name its other hooks use. */
function compensationName(service: Declared<RawService>, hook: string, saga: string, step: string, taken: Map<string, string>, at: SpecPath, problems: SagaProblem[]): void {
  if (isPrototypeMember(hook)) {
    problems.push({ at, code: 'reserved-name', message: `\`${hook}\` is a member of every JavaScript object: a compensation of that name would not be noticed missing; rename it` });
    return;
  }
  const endpoints = Object.keys(service.raw.endpoints ?? {});
  const subscriptions = Object.values(service.raw.subscribes ?? {}).map(handlerOf);
  const fallbacks = Object.values(service.raw.calls ?? {}).flatMap((c) => Object.values(c.endpoints ?? {}).flatMap((e) => (e.fallback === undefined ? [] : [e.fallback])));
  const clash = endpoints.includes(hook) ? 'an endpoint' : subscriptions.includes(hook) ? 'an event hook' : fallbacks.includes(hook) ? 'a fallback' : undefined;
  if (clash !== undefined) {
    problems.push({ at, code: 'compensation-name-clash', message: `\`${hook}\` is already ${clash} of \`${service.name}\`; name the compensation of step \`${step}\` after what it undoes (e.g. \`undo${hook.charAt(0).toUpperCase()}${hook.slice(1)}\`)` });
    return;
  }
  const other = taken.get(`${service.name}.${hook}`);
  if (other !== undefined && other !== `${saga}.${step}`) {
    problems.push({ at, code: 'compensation-name-clash', message: `\`${hook}\` already compensates step \`${other}\` in \`${service.name}\`: each step's compensation is its own hook` });
    return;
  }
  taken.set(`${service.name}.${hook}`, `${saga}.${step}`);
}
