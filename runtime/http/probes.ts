// /health, /ready and /health/dependencies, answered before any route (the spec's or extra ones) by both bindings.
import type { ServerResponse } from 'node:http';
import type { ReadinessReport } from '../health/types.js';
import { sendJson } from './respond.js';

/** What `/ready` asks: a plain yes or no, or the report of every check (runtime/health); may answer later. */
export type ReadinessSource = () => boolean | ReadinessReport | Promise<boolean | ReadinessReport>;

/** Probes and scrapes hit these every few seconds: their access log lines go at debug. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

/**
 * Answers a probe: `/health` 200 while the process runs (it asks nothing: liveness stays cheap),
 * `/ready` 200 or 503 as `isReady` says, with each check when it gives a report.
 *
 * @param res - the response
 * @param probe - which probe
 * @param isReady - asked on each `/ready`; may answer later (a database ping), a rejection is "not ready"
 * @example
 * answerProbe(res, '/ready', () => true); // 200 {"status":"ready"}
 */
export function answerProbe(res: ServerResponse, probe: '/health' | '/ready', isReady: ReadinessSource): void {
  if (probe === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  const answer = (ready: boolean | ReadinessReport) => {
    if (typeof ready !== 'boolean') sendJson(res, ready.ready ? 200 : 503, { status: ready.status, checks: ready.checks });
    else if (ready) sendJson(res, 200, { status: 'ready' });
    else sendJson(res, 503, { status: 'not ready' });
  };
  const ready = isReady();
  if (typeof ready === 'boolean' || !('then' in ready)) answer(ready);
  else ready.then(answer, () => answer(false));
}

/**
 * Answers `GET /health/dependencies`: 200 with the report, whatever the callees' state (it is a
 * diagnostic, never a probe); `{"dependencies":[]}` when the service has no report to give.
 *
 * @param res - the response
 * @param report - makes the body; default none
 * @example
 * answerDependencies(res, async () => ({ dependencies: [] }));
 */
export function answerDependencies(res: ServerResponse, report: (() => Promise<unknown>) | undefined): void {
  if (!report) {
    sendJson(res, 200, { dependencies: [] });
    return;
  }
  report().then(
    (body) => sendJson(res, 200, body),
    () => sendJson(res, 500, { error: 'InternalError', message: 'the dependencies report failed' }),
  );
}
