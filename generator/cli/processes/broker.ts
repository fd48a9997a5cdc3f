// Before five processes start and each retries its broker with backoff, one quick look whether the
// broker listens at all: a stopped Redis or RabbitMQ is then one line, not a minute of retries.
import { connect } from 'node:net';
import { redactUrl } from '../../../runtime/bus/settings.js';
import type { ProcessBus } from './plan.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'redis:': 6379, 'rediss:': 6379, 'amqp:': 5672, 'amqps:': 5671 };

/**
 * Null when something accepts TCP connections at the bus URL's host and port; otherwise why not, in
 * one line with what to do.
 *
 * @param bus the broker's kind and URL (already checked to be a URL of that kind)
 * @param timeoutMs how long to wait for the connection; default 3000
 * @example await brokerProblem({ kind: 'redis', url: 'redis://127.0.0.1:6379' }) // null when Redis runs
 */
export async function brokerProblem(bus: ProcessBus, timeoutMs = 3000): Promise<string | null> {
  const url = new URL(bus.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
  const reason = await new Promise<string | null>((resolve) => {
    const socket = connect({ host, port });
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
  if (reason === null) return null;
  const name = bus.kind === 'redis' ? 'Redis' : 'RabbitMQ';
  return `cannot reach ${name} at ${redactUrl(bus.url)} (${reason}): start it, or point --bus-url at a running one`;
}
