// The dependencies report: one entry per callee (even before any call), its breaker state from the
// gauges, its calls' outcomes from the counters, its instances without their addresses.
import { describe, expect, it } from 'vitest';
import { dependenciesReport } from '../../../runtime/health/index.js';
import { ResilienceStats } from '../../../runtime/resilience/stats.js';

describe('dependenciesReport', () => {
  it('says open when a breaker is open, half-open when one is, closed otherwise, with the calls counted', async () => {
    const stats = new ResilienceStats();
    Object.assign(stats.counters('users'), { calls: 10, succeeded: 6, failed: 4 });
    stats.counters('users').rejected.circuitOpen = 3;
    stats.gauges('users', () => ({ bulkheadActive: 0, bulkheadQueued: 0, breakersOpen: 1, breakersHalfOpen: 1 }));
    stats.gauges('inventory', () => ({ bulkheadActive: 0, bulkheadQueued: 0, breakersOpen: 0, breakersHalfOpen: 1 }));
    const instance = { address: 'http://10.0.0.7:3001', outstanding: 0, latencyMs: 3, ejected: true, ejectedUntil: 1, ejections: 1, up: false, calls: { success: 6, failure: 4, dropped: 0 } };
    const report = await dependenciesReport(['inventory', 'payments', 'users'], { resilience: stats.snapshot(), instances: { users: [instance] } }, false);
    expect(report.dependencies.map((d) => [d.service, d.breaker])).toEqual([['inventory', 'half-open'], ['payments', 'closed'], ['users', 'open']]);
    const users = report.dependencies.find((d) => d.service === 'users')!;
    expect(users.calls).toEqual({ total: 10, succeeded: 6, failed: 4, rejected: 3 });
    expect(users.instances).toEqual([{ up: false, ejected: true, calls: { success: 6, failure: 4 } }]);
    expect(JSON.stringify(report)).not.toContain('10.0.0.7');
  });
});
