// The readiness runner: each check under its timeout (a hung one is `timeout`, the run still ends),
// critical failures make it not ready and non-critical ones degrade it, concurrent runs share one
// run in flight, messages are bounded and stripped, and a check's change of state is logged once.
import { describe, expect, it, vi } from 'vitest';
import { boundedMessage, createReadiness, MAX_MESSAGE_LENGTH, type ReadinessCheck, type ServicePhase } from '../../../runtime/health/index.js';
import { createLogger } from '../../../runtime/logging/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'orders', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

const passing = (name: string, critical = true): ReadinessCheck => ({ name, timeoutMs: 1000, critical, run: async () => undefined });
const failing = (name: string, critical: boolean, message = 'disk full'): ReadinessCheck => ({
  name,
  timeoutMs: 1000,
  critical,
  run: async () => {
    throw new Error(message);
  },
});

function readinessOf(checks: ReadinessCheck[], phase: ServicePhase = 'running') {
  const { logger, lines } = capture();
  const changes: boolean[] = [];
  const readiness = createReadiness({ checks, logger, phase: () => phase, onChange: (ready) => changes.push(ready) });
  return { readiness, lines, changes };
}

describe('createReadiness', () => {
  it('is ready when every check passes, listing each with its duration', async () => {
    const { readiness } = readinessOf([passing('database'), passing('ledger')]);
    const report = await readiness.run();
    expect(report).toMatchObject({ ready: true, status: 'ready' });
    expect(report.checks.map((c) => [c.name, c.status, c.critical])).toEqual([['database', 'pass', true], ['ledger', 'pass', true]]);
    expect(report.checks.every((c) => typeof c.durationMs === 'number' && c.durationMs >= 0)).toBe(true);
  });

  it('is not ready when a critical check fails, and degraded (still ready) when only a non-critical one does', async () => {
    const critical = await readinessOf([passing('bus'), failing('ledger', true)]).readiness.run();
    expect(critical).toMatchObject({ ready: false, status: 'not ready' });
    expect(critical.checks[1]).toMatchObject({ name: 'ledger', status: 'fail', critical: true, error: 'disk full' });
    const degraded = await readinessOf([passing('bus'), failing('cache', false)]).readiness.run();
    expect(degraded).toMatchObject({ ready: true, status: 'degraded' });
    expect(degraded.checks[1]).toMatchObject({ name: 'cache', status: 'fail', critical: false });
  });

  it('counts a check that never settles as timeout, aborts its signal, and still answers', async () => {
    let aborted = false;
    const hung: ReadinessCheck = {
      name: 'ledger',
      timeoutMs: 20,
      critical: true,
      run: (ctx) =>
        new Promise<void>(() => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const report = await readinessOf([hung, passing('bus')]).readiness.run();
    expect(report).toMatchObject({ ready: false, status: 'not ready' });
    expect(report.checks[0]).toMatchObject({ name: 'ledger', status: 'timeout', error: 'no answer within 20ms' });
    expect(report.checks[1]).toMatchObject({ name: 'bus', status: 'pass' });
    expect(aborted).toBe(true);
  });

  it('shares one run among concurrent probes', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const slow: ReadinessCheck = { name: 'ledger', timeoutMs: 5000, critical: true, run: () => (runs++, new Promise<void>((resolve) => (release = resolve))) };
    const { readiness } = readinessOf([slow]);
    const probes = [readiness.run(), readiness.run(), readiness.run()];
    await vi.waitFor(() => expect(runs).toBe(1));
    release();
    const reports = await Promise.all(probes);
    expect(runs).toBe(1);
    expect(new Set(reports).size).toBe(1);
    expect(reports[0]?.checks[0]?.status).toBe('pass');
    const next = readiness.run();
    await vi.waitFor(() => expect(runs).toBe(2));
    release();
    expect((await next).ready).toBe(true);
  });

  it('runs nothing while starting or draining, and answers not ready', async () => {
    let runs = 0;
    const counted: ReadinessCheck = { name: 'ledger', timeoutMs: 100, critical: true, run: async () => void runs++ };
    for (const phase of ['starting', 'draining'] as const) {
      const report = await readinessOf([counted], phase).readiness.run();
      expect(report).toEqual({ ready: false, status: phase, checks: [] });
    }
    expect(runs).toBe(0);
  });

  it('logs a check going from pass to fail and back once each, not on every probe, and reports flips of readiness', async () => {
    let healthy = true;
    const ledger: ReadinessCheck = {
      name: 'ledger',
      timeoutMs: 100,
      critical: true,
      run: async () => {
        if (!healthy) throw new Error('read-only file system');
      },
    };
    const { readiness, lines, changes } = readinessOf([ledger]);
    await readiness.run();
    healthy = false;
    await readiness.run();
    await readiness.run();
    await readiness.run();
    healthy = true;
    await readiness.run();
    await readiness.run();
    const about = lines.filter((line) => line['check'] === 'ledger');
    expect(about.map((line) => line['msg'])).toEqual([
      'readiness check ledger fails (read-only file system): /ready answers 503 until it passes',
      'readiness check ledger passes again',
    ]);
    expect(changes).toEqual([false, true]);
    expect(readiness.last?.ready).toBe(true);
  });
});

describe('boundedMessage', () => {
  it('keeps the first line only, without stack or addresses', () => {
    const error = new Error('connect ECONNREFUSED 10.1.2.3:5432 via postgres://app:secret@db.internal:5432/orders\n    at TCPConnectWrap.afterConnect');
    const message = boundedMessage(error);
    expect(message).toBe('connect ECONNREFUSED <address> via <address>');
    expect(boundedMessage(new Error('cannot write /var/lib/ledger/current'))).toBe('cannot write <path>');
    expect(boundedMessage(new Error('redis at cache.svc.cluster.local:6379 is down'))).toBe('redis at <address> is down');
  });

  it('truncates a long message and names a throw that is not an Error', () => {
    const message = boundedMessage(new Error('x'.repeat(1000)));
    expect(message.length).toBe(MAX_MESSAGE_LENGTH);
    expect(message.endsWith('…')).toBe(true);
    expect(boundedMessage({ code: 42 })).toBe('the check failed');
    expect(boundedMessage('quota exceeded')).toBe('quota exceeded');
  });
});
