// Each node's health as its own /ready says it, asked over HTTP every 2 s: what a load balancer
// would see, not what the process believes. A node that has not answered yet is `starting`, one that
// stops answering (refused, or slower than 500 ms) is `down`.
import type { NodeHealth } from './api-types.js';
import { untracedHeaders } from './untraced.js';

/** How often every node's /ready is asked, ms. */
export const HEALTH_INTERVAL_MS = 2000;
/** How long one /ready may take before the node counts as down, ms. */
export const HEALTH_TIMEOUT_MS = 500;

/**
 * The latest health of each node the poller asks.
 *
 * @example
 * const health = startHealthPoller(() => [{ id: 'gateway', url: 'http://127.0.0.1:8080/ready' }]);
 * health.of('gateway'); // 'starting', then 'ready'
 */
export interface HealthPoller {
  /** The node's latest health; `starting` before its first answer. */
  of(id: string): NodeHealth;
  /** Asks every node now (the next round also comes on its own). */
  poll(): Promise<void>;
  /** Stops polling. */
  close(): void;
}

/**
 * The health a /ready answer means: its JSON `status` (`ready`, `degraded`, `not ready`,
 * `starting`; `draining` counts as not ready), else its status code (the gateway answers
 * `{"status":"ok"}` with 200, 503 while closing).
 *
 * @param status - the HTTP status
 * @param body - the parsed body (anything)
 * @example
 * healthOf(200, { status: 'degraded' }); // 'degraded'
 * healthOf(200, { status: 'ok' }); // 'ready'
 * healthOf(503, { status: 'draining' }); // 'not ready'
 */
export function healthOf(status: number, body: unknown): NodeHealth {
  const said = (body as { status?: unknown } | null)?.status;
  if (said === 'ready' || said === 'degraded' || said === 'not ready' || said === 'starting') return said;
  if (said === 'draining') return 'not ready';
  return status >= 200 && status < 300 ? 'ready' : 'not ready';
}

/**
 * Starts asking every node's /ready now and every `intervalMs`.
 *
 * @param targets - the nodes to ask now, read each round (a restarted service may listen elsewhere)
 * @param options - interval and timeout, ms
 * @example
 * const health = startHealthPoller(() => Object.entries(running.urls).map(([name, u]) => ({ id: `service:${name}`, url: `${u.http}/ready` })));
 */
export function startHealthPoller(
  targets: () => readonly { readonly id: string; readonly url: string }[],
  options: { intervalMs?: number; timeoutMs?: number } = {},
): HealthPoller {
  const intervalMs = options.intervalMs ?? HEALTH_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS;
  const latest = new Map<string, NodeHealth>();
  let round: Promise<void> | null = null;
  const ask = async (url: string): Promise<NodeHealth> => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: untracedHeaders() });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the status code alone decides.
      }
      return healthOf(res.status, body);
    } catch {
      return 'down';
    }
  };
  const poll = () => {
    round ??= (async () => {
      const now = targets();
      const answers = await Promise.all(now.map(async (t) => [t.id, await ask(t.url)] as const));
      // Nodes gone from the stack are forgotten; a node seen again starts over.
      const ids = new Set(now.map((t) => t.id));
      for (const id of latest.keys()) if (!ids.has(id)) latest.delete(id);
      for (const [id, health] of answers) latest.set(id, health);
    })().finally(() => {
      round = null;
    });
    return round;
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return {
    of: (id) => latest.get(id) ?? 'starting',
    poll,
    close: () => clearInterval(timer),
  };
}
