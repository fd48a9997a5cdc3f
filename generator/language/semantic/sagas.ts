// Checks of the services' `sagas`: each saga's steps, compensations and mappings (resolved by
// saga-resolve.ts, which the model builder shares), and what the schema cannot say about the saga
// itself: its log needs the service's database, its name is unique in the mesh and its events
// (`<name>.completed`, `<name>.failed`) must not collide with the mesh's own.
import { MAX_DURATION_MS, parseDuration } from '../../../common/units.js';
import type { Declared, SpecIndex } from '../collect.js';
import { resolveChoreography } from '../choreography-resolve.js';
import { isChoreographed, type RawChoreographedSaga, type RawService } from '../raw.js';
import { resolveSaga, type SagaProblem } from '../saga-resolve.js';
import { isPrototypeMember, prototypeMessage } from './prototype.js';
import type { Reporter } from './reporter.js';

/**
 * Reports every problem of the sagas the services declare: a saga in a service without `storage`, a
 * saga name used twice in the mesh or that prefixes an event's name, a participant of a choreographed
 * saga without `storage`, an unknown or uncalled service or endpoint, a duplicate step, a reference to
 * a step that has not run, and every mapping whose fields do not exist or whose types do not fit, each
 * with a suggestion when a close name exists.
 *
 * @param index the spec's declarations (the services' `sagas`, `calls`, `storage`; the mesh's events)
 * @param report where the diagnostics go
 * @example checkSagas(index, report) // `call: inventory.reserv` -> unknown-endpoint, did you mean `reserve`?
 */
export function checkSagas(index: SpecIndex, report: Reporter): void {
  const seen = new Map<string, string>();
  const compensations = new Map<string, string>();
  for (const service of index.services.values()) {
    for (const [name, raw] of Object.entries(service.raw.sagas ?? {})) {
      const at = ['sagas', name];
      if (service.raw.storage === undefined) {
        report.error(service.doc, at, 'saga-without-storage', `saga \`${name}\` keeps its log in \`${service.name}\`'s database, and \`${service.name}\` has no \`storage\`; add \`storage: postgres\``, { key: true });
      }
      if (isPrototypeMember(name)) report.error(service.doc, at, 'reserved-name', prototypeMessage('a saga', name, 'a missing saga would not be noticed'), { key: true });
      const previous = seen.get(name);
      if (previous !== undefined) {
        report.error(service.doc, at, 'duplicate-saga', `saga \`${name}\` is already declared in ${previous}: a saga's name is unique in the mesh (its events are \`${name}.completed\` and \`${name}.failed\`)`, { key: true });
      } else {
        seen.set(name, report.where(service.doc, at));
      }
      const clash = [...index.events.values()].filter((event) => event.saga === undefined && event.name.startsWith(`${name}.`)).map((event) => event.name).sort();
      if (clash.length > 0) {
        report.error(
          service.doc, at, 'saga-event-clash',
          `saga \`${name}\` publishes \`${name}.completed\` and \`${name}.failed\`, and the mesh declares ${clash.map((e) => `\`${e}\``).join(', ')} under the same prefix; rename the saga or the event`,
          { key: true },
        );
      }
      if (isChoreographed(raw)) {
        checkParticipantStorage(index, service, name, raw, report);
        reportProblems(report, service.doc, resolveChoreography(index, service, name, raw, compensations).problems);
        continue;
      }
      for (const key of ['correlate', 'starts', 'completes'] as const) {
        if (raw[key] !== undefined) report.error(service.doc, [...at, key], 'orchestrated-not-allowed', `\`${key}\` belongs to a choreographed saga (one with \`choreography\`); saga \`${name}\` has \`steps\`: remove \`${key}\``, { key: true });
      }
      raw.steps.forEach((step, i) => {
        const ms = step.timeout === undefined ? undefined : parseDuration(step.timeout);
        if (ms !== undefined && ms > MAX_DURATION_MS) {
          report.error(service.doc, [...at, 'steps', i, 'timeout'], 'duration-too-long', `\`${step.timeout}\` is longer than the runtime can wait: at most ${MAX_DURATION_MS} ms (about 596h)`);
        }
      });
      reportProblems(report, service.doc, resolveSaga(index, service, name, raw).problems);
    }
  }
}

/**
 * A choreographed saga's participant keeps its step's outcome and its compensation's state in its
 * database, so it needs `storage`. Reported once per participant and saga, at its first step; the
 * owner is left to `saga-without-storage`, and an undeclared service to `unknown-service`.
 */
function checkParticipantStorage(index: SpecIndex, owner: Declared<RawService>, saga: string, raw: RawChoreographedSaga, report: Reporter): void {
  const reported = new Set<string>([owner.name]);
  raw.choreography.forEach((step, i) => {
    const participant = index.services.get(step.service);
    if (participant === undefined || participant.raw.storage !== undefined || reported.has(step.service)) return;
    reported.add(step.service);
    const kept = step.compensate === undefined ? "the step's outcome" : "the step's outcome and its compensation's state";
    report.error(
      owner.doc, ['sagas', saga, 'choreography', i, 'service'], 'choreography-participant-without-storage',
      `\`${step.service}\` takes step \`${step.step}\` of saga \`${saga}\`: it keeps ${kept} in its database, and has no \`storage\`; add \`storage: postgres\` to \`${step.service}\``,
    );
  });
}

function reportProblems(report: Reporter, doc: Parameters<Reporter['error']>[0], problems: readonly SagaProblem[]): void {
  for (const problem of problems) {
    report.error(doc, problem.at, problem.code, problem.message, {
      ...(problem.within !== undefined && { within: problem.within }),
      ...(problem.last === true && { last: true }),
      ...(problem.key === true && { key: true }),
    });
  }
}
