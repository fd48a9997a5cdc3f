// A counter and a duration histogram over the same label sets, kept in plain numbers and turned
// into prom-client's form only when Prometheus scrapes. prom-client's own children hash their labels
// and allocate on every observe; a request here only bumps numbers in an array it already holds.
import type { Metric, MetricValue, MetricValueWithName, Registry } from 'prom-client';
import { DURATION_BUCKETS } from './buckets.js';

/**
 * One label set's figures: `observe` is all a request pays.
 *
 * @example
 * const child = series.child({ endpoint: 'getUser', transport: 'http', status: '200' });
 * child.observe(0.0042);
 */
export class TimedChild {
  /** Per bucket (DURATION_BUCKETS, then +Inf), observations at or under it, not yet cumulated. */
  readonly buckets = new Float64Array(DURATION_BUCKETS.length + 1);
  count = 0;
  sum = 0;

  constructor(readonly labels: Readonly<Record<string, string>>) {}

  /**
   * Counts one event that took `seconds`.
   *
   * @param seconds - its duration
   */
  observe(seconds: number): void {
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
    this.buckets[i]!++;
    this.count++;
    this.sum += seconds;
  }
}

/**
 * `<total>` (a counter) and `<duration>` (a histogram in seconds) of the same events and labels,
 * registered on `registry`.
 *
 * @example
 * const series = new TimedSeries(registry, { total: 'meshspec_server_requests_total', duration: 'meshspec_server_request_duration_seconds', help: 'Requests answered', durationHelp: 'Time to answer' });
 */
export class TimedSeries {
  readonly #children = new Map<string, TimedChild>();

  /**
   * @param registry - where both metrics are registered
   * @param names - the counter's and the histogram's names and help texts
   */
  constructor(registry: Registry, names: { total: string; help: string; duration: string; durationHelp: string }) {
    const children = this.#children;
    const counter = {
      name: names.total,
      help: names.help,
      type: 'counter',
      get: () => ({
        name: names.total, help: names.help, type: 'counter', aggregator: 'sum',
        values: [...children.values()].map((child): MetricValue<string> => ({ labels: child.labels, value: child.count })),
      }),
    };
    const histogram = {
      name: names.duration,
      help: names.durationHelp,
      type: 'histogram',
      get: () => ({
        name: names.duration, help: names.durationHelp, type: 'histogram', aggregator: 'sum',
        values: [...children.values()].flatMap((child) => histogramValues(names.duration, child)),
      }),
    };
    registry.registerMetric(counter as unknown as Metric);
    registry.registerMetric(histogram as unknown as Metric);
  }

  /**
   * The child of one label set, made on first use (resolve it once and keep it).
   *
   * @param labels - every label's value
   * @example
   * const child = series.child({ route: '/api/v1/users', status: '201' });
   */
  child(labels: Readonly<Record<string, string>>): TimedChild {
    const key = JSON.stringify(labels);
    let child = this.#children.get(key);
    if (child === undefined) this.#children.set(key, (child = new TimedChild({ ...labels })));
    return child;
  }
}

function histogramValues(name: string, child: TimedChild): MetricValueWithName<string>[] {
  const values: MetricValueWithName<string>[] = [];
  let cumulative = 0;
  DURATION_BUCKETS.forEach((bound, i) => {
    cumulative += child.buckets[i]!;
    values.push({ metricName: `${name}_bucket`, labels: { ...child.labels, le: bound }, value: cumulative });
  });
  values.push({ metricName: `${name}_bucket`, labels: { ...child.labels, le: '+Inf' }, value: child.count });
  values.push({ metricName: `${name}_sum`, labels: child.labels, value: child.sum });
  values.push({ metricName: `${name}_count`, labels: child.labels, value: child.count });
  return values;
}
