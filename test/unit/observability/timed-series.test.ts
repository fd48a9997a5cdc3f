// The counter and histogram kept in plain numbers (runtime/observability/metrics/timed-series.ts):
// what Prometheus reads must be what prom-client's own Histogram would say.
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS } from '../../../runtime/observability/metrics/buckets.js';
import { TimedSeries } from '../../../runtime/observability/metrics/timed-series.js';

const NAMES = { total: 'x_requests_total', help: 'requests', duration: 'x_request_duration_seconds', durationHelp: 'durations' };

describe('TimedSeries', () => {
  it('writes the histogram prom-client writes for the same observations, and its count as the counter', async () => {
    const ours = new Registry();
    const series = new TimedSeries(ours, NAMES);
    const reference = new Registry();
    const histogram = new Histogram({ name: NAMES.duration, help: NAMES.durationHelp, labelNames: ['route', 'status'], buckets: [...DURATION_BUCKETS], registers: [reference] });
    // On a bound (le is "at or under"), between bounds, past the last one, and zero.
    const observations = [0, 0.001, 0.0011, 0.05, 0.3, 10, 12.5];
    const child = series.child({ route: '/a', status: '200' });
    for (const seconds of observations) {
      child.observe(seconds);
      histogram.observe({ route: '/a', status: '200' }, seconds);
    }
    const text = await ours.metrics();
    // Label order within the braces is free in the text format: compare with labels sorted.
    const sorted = (line: string) => line.replace(/\{(.*)\}/, (_, labels: string) => `{${labels.split(',').sort().join(',')}}`);
    const histogramOf = (t: string) => t.split('\n').filter((line) => line.startsWith(`${NAMES.duration}_`)).map(sorted).sort();
    expect(histogramOf(text)).toEqual(histogramOf(await reference.metrics()));
    expect(text).toContain(`x_requests_total{route="/a",status="200"} ${observations.length}`);
  });

  it('gives the same child for the same labels, whichever order they come in', () => {
    const series = new TimedSeries(new Registry(), NAMES);
    expect(series.child({ route: '/a', status: '200' })).toBe(series.child({ route: '/a', status: '200' }));
    expect(series.child({ route: '/a', status: '200' })).not.toBe(series.child({ route: '/a', status: '404' }));
  });
});
