// The resilience figures of a service's calls, read from its pipelines' own counters
// (RunningService.dependencies()) when Prometheus scrapes: no second set of counters on the call path.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DependencySnapshot } from '../../resilience/stats.js';

/** Reads the resilience snapshot of every dependency, as of now. */
export type ResilienceSource = () => Readonly<Record<string, DependencySnapshot>>;

type Entry = [labels: Record<string, string>, value: number];

/**
 * Registers the collectors of the client side's resilience figures, one series per dependency (and
 * reason, state) the snapshot has.
 *
 * @param registry - the service's registry
 * @param read - the service's resilience snapshots (`() => running.dependencies().resilience`)
 * @example
 * registerResilienceCollectors(registry, () => running.dependencies().resilience);
 */
export function registerResilienceCollectors(registry: Registry, read: ResilienceSource): void {
  const counter = (name: string, help: string, labelNames: string[], entries: (dependency: string, snapshot: DependencySnapshot) => Entry[]) =>
    new Counter({
      name, help, labelNames, registers: [registry],
      collect() {
        this.reset();
        for (const [dependency, snapshot] of Object.entries(read())) {
          for (const [labels, value] of entries(dependency, snapshot)) this.inc(labels, value);
        }
      },
    });
  const gauge = (name: string, help: string, labelNames: string[], entries: (dependency: string, snapshot: DependencySnapshot) => Entry[]) =>
    new Gauge({
      name, help, labelNames, registers: [registry],
      collect() {
        this.reset();
        for (const [dependency, snapshot] of Object.entries(read())) {
          for (const [labels, value] of entries(dependency, snapshot)) this.set(labels, value);
        }
      },
    });

  counter('meshspec_client_attempts_total', 'Attempts sent to a dependency (first attempts and retries).', ['dependency'], (dependency, { counters }) => [[{ dependency }, counters.attempts]]);
  counter('meshspec_client_retries_total', 'Retries of calls to a dependency, by the failure that caused them.', ['dependency', 'reason'], (dependency, { counters }) =>
    Object.entries(counters.retriesByReason).map(([reason, n]) => [{ dependency, reason }, n]),
  );
  counter('meshspec_client_retries_denied_total', 'Retries not made, by what denied them (budget: the retry budget; deadline: no time left).', ['dependency', 'by'], (dependency, { counters }) => [
    [{ dependency, by: 'budget' }, counters.retriesDenied.budget],
    [{ dependency, by: 'deadline' }, counters.retriesDenied.deadline],
  ]);
  counter('meshspec_client_rejections_total', 'Calls refused by this client before any attempt, by reason (circuit_open, bulkhead_full, deadline_passed).', ['dependency', 'reason'], (dependency, { counters }) => [
    [{ dependency, reason: 'circuit_open' }, counters.rejected.circuitOpen],
    [{ dependency, reason: 'bulkhead_full' }, counters.rejected.bulkheadFull],
    [{ dependency, reason: 'deadline_passed' }, counters.rejected.deadlinePassed],
  ]);
  counter('meshspec_client_fallbacks_total', 'Answers a fallback gave instead of the dependency, by the failure they answered.', ['dependency', 'reason'], (dependency, { counters }) =>
    Object.entries(counters.fallbacksByReason).map(([reason, n]) => [{ dependency, reason }, n]),
  );
  counter('meshspec_client_breaker_transitions_total', 'Circuit breaker transitions, by the state entered (open, half_open, closed).', ['dependency', 'to'], (dependency, { counters }) => [
    [{ dependency, to: 'open' }, counters.breakerTransitions.open],
    [{ dependency, to: 'half_open' }, counters.breakerTransitions.halfOpen],
    [{ dependency, to: 'closed' }, counters.breakerTransitions.closed],
  ]);
  gauge('meshspec_client_breakers', 'Circuit breakers of a dependency not closed now, by state (open, half_open).', ['dependency', 'state'], (dependency, { gauges }) => [
    [{ dependency, state: 'open' }, gauges.breakersOpen],
    [{ dependency, state: 'half_open' }, gauges.breakersHalfOpen],
  ]);
  gauge('meshspec_client_bulkhead_calls', 'Calls to a dependency in its bulkhead now, by state (active, queued).', ['dependency', 'state'], (dependency, { gauges }) => [
    [{ dependency, state: 'active' }, gauges.bulkheadActive],
    [{ dependency, state: 'queued' }, gauges.bulkheadQueued],
  ]);
}
