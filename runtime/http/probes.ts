// /health and /ready, answered before any route (the spec's or extra ones) by both bindings.
import type { ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

/** Probes and scrapes hit these every few seconds: their access log lines go at debug. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

/**
 * Answers a probe: `/health` 200 while the process runs, `/ready` 200 or 503 as `isReady` says.
 *
 * @param res - the response
 * @param probe - which probe
 * @param isReady - asked on each `/ready`; may answer later (a database ping), a rejection is "not ready"
 * @example
 * answerProbe(res, '/ready', () => true); // 200 {"status":"ready"}
 */
export function answerProbe(res: ServerResponse, probe: '/health' | '/ready', isReady: () => boolean | Promise<boolean>): void {
  if (probe === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  const answer = (ready: boolean) => (ready ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' }));
  const ready = isReady();
  if (typeof ready === 'boolean') answer(ready);
  else ready.then(answer, () => answer(false));
}
