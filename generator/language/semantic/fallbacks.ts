// Checks of the fallback functions calls name (`calls.<svc>.endpoints.<endpoint>.fallback`): each is a
// member of the calling service's `fallbacks` hook object, typed with the endpoint it answers, so a
// name answers one endpoint only and must not be one every JavaScript object already has.
import type { SpecIndex } from '../collect.js';
import type { SpecPath } from '../load.js';
import { isPrototypeMember, prototypeMessage } from './prototype.js';
import type { Reporter } from './reporter.js';

/**
 * Reports a fallback name used for a second endpoint within one service (its input and output types
 * would differ), with a free name to use instead, and a fallback name every object already has.
 *
 * @param index the spec's declarations (the services' `calls`)
 * @param report where the diagnostics go
 * @example checkFallbacks(index, report) // two endpoints with `fallback: cached` -> duplicate-fallback
 */
export function checkFallbacks(index: SpecIndex, report: Reporter): void {
  for (const service of index.services.values()) {
    const calls = Object.entries(service.raw.calls ?? {});
    const named = calls.flatMap(([callee, call]) =>
      Object.entries(call.endpoints ?? {}).flatMap(([endpoint, o]) => (o.fallback === undefined ? [] : [{ callee, endpoint, name: o.fallback }])),
    );
    const taken = new Set(named.map((f) => f.name));
    const answers = new Map<string, string>();
    for (const { callee, endpoint, name } of named) {
      const at: SpecPath = ['calls', callee, 'endpoints', endpoint, 'fallback'];
      if (isPrototypeMember(name)) report.error(service.doc, at, 'reserved-name', prototypeMessage('a fallback', name));
      const previous = answers.get(name);
      if (previous === undefined) {
        answers.set(name, `${callee}.${endpoint}`);
        continue;
      }
      const free = freeName([`${endpoint}Fallback`, `${callee}${endpoint[0]!.toUpperCase()}${endpoint.slice(1)}Fallback`], taken);
      report.error(
        service.doc, at, 'duplicate-fallback',
        `fallback \`${name}\` already answers \`${previous}\`: a fallback takes the input and returns the output of the one endpoint it answers, so \`${callee}.${endpoint}\` needs its own${free === undefined ? '' : `, e.g. \`fallback: ${free}\``}`,
      );
      if (free !== undefined) taken.add(free);
    }
  }
}

/** The first candidate no fallback of the service is named yet. */
function freeName(candidates: string[], taken: ReadonlySet<string>): string | undefined {
  return candidates.find((c) => !taken.has(c));
}
