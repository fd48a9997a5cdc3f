// A service's sagas, read from its orchestrator's counters and its saga log when Prometheus scrapes.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SagasReport } from '../../host/sagas.js';
import { SAGA_STATES } from '../../saga/types.js';

/**
 * Registers the saga collectors: counters of what this replica's orchestrator did (and, for the
 * owner of choreographed sagas, what it recorded), sagas it drives now, and sagas in the log by state.
 *
 * @param registry - the service's registry
 * @param read - the service's saga report (`() => running.sagas()`); null: no series
 * @example
 * registerSagaCollectors(registry, () => running.sagas());
 */
export function registerSagaCollectors(registry: Registry, read: () => SagasReport | null): void {
  const registers = [registry];
  const counter = (name: string, help: string, value: (report: SagasReport) => number) =>
    new Counter({
      name, help, registers,
      collect() {
        const report = read();
        this.reset();
        if (report) this.inc(value(report));
      },
    });
  counter('meshspec_sagas_started_total', 'Sagas this replica started.', (r) => r.stats.started);
  counter('meshspec_sagas_resumed_total', "Sagas this replica took over from the log (a stopped replica's).", (r) => r.stats.resumed);
  counter('meshspec_sagas_completed_total', 'Sagas that completed.', (r) => r.stats.completed);
  counter('meshspec_sagas_compensated_total', 'Sagas that failed and were compensated.', (r) => r.stats.compensated);
  counter('meshspec_sagas_stuck_total', 'Sagas whose compensation kept failing: they need a person.', (r) => r.stats.stuck);
  counter('meshspec_saga_step_retries_total', 'Step attempts repeated after an unknown outcome.', (r) => r.stats.stepRetries);
  counter('meshspec_saga_compensation_retries_total', 'Compensation attempts repeated after a failure.', (r) => r.stats.compensationRetries);
  new Gauge({
    name: 'meshspec_sagas_in_flight', help: 'Sagas this replica drives now.', registers,
    collect() {
      this.set(read()?.inFlight ?? 0);
    },
  });
  new Gauge({
    name: 'meshspec_sagas', help: "Sagas in the service's saga log (every replica's), by state: one query per scrape.", labelNames: ['state'], registers,
    async collect() {
      const report = read();
      this.reset();
      if (!report) return;
      const counts = await report.counts();
      for (const state of SAGA_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
}
