// The bus a process runs on, from its BusSettings: the memory bus, or a durable adapter behind a
// connecting bus (not ready until the broker answers, never a fallback to memory). Adapters are
// imported only when chosen, so a process on memory never loads ioredis or amqplib.
import type { Logger } from 'pino';
import { createConnectingBus } from '../bus/connecting.js';
import { createMemoryBus } from '../bus/memory.js';
import { redactUrl, type BusSettings } from '../bus/settings.js';
import type { EventBus } from '../bus/types.js';

/**
 * A process's bus, with what readiness and the banner need to know about it.
 *
 * @example
 * const bus = openProcessBus(busSettingsFromEnv(defaults), logger);
 * if (!bus.connected) res.status(503);
 */
export interface ProcessBus extends EventBus {
  /** Always true for memory; for a broker, true once it was reached. */
  readonly connected: boolean;
  /** `memory`, or the kind and redacted URL (`redis at redis://127.0.0.1:6379`). */
  readonly description: string;
}

/**
 * Opens the bus `settings` name. Connection failures are retried in the background (logged); the
 * returned bus reports `connected: false` until then.
 *
 * @param settings from busSettingsFromEnv
 * @param logger where the bus logs (connection attempts, retries, dead letters)
 * @example
 * const bus = openProcessBus(busSettingsFromEnv(stack.runtime.bus), logger.child({ component: 'bus' }));
 */
export function openProcessBus(settings: BusSettings, logger: Logger): ProcessBus {
  const delivery = {
    maxAttempts: settings.maxAttempts,
    retryDelayMs: settings.retryDelayMs,
    maxRetryDelayMs: settings.maxRetryDelayMs,
    logger,
  };
  if (settings.kind === 'memory' || settings.url === null) {
    const memory = createMemoryBus(delivery);
    return Object.assign(memory, { connected: true, description: 'memory' });
  }
  const url = settings.url;
  const description = `${settings.kind} at ${redactUrl(url)}`;
  const namespace = settings.namespace;
  const connect = async (): Promise<EventBus> => {
    if (settings.kind === 'redis') {
      const { connectRedisBus } = await import('../bus/redis/connect.js');
      return connectRedisBus({
        ...delivery,
        url,
        prefix: `${namespace}:`,
        claimIdleMs: settings.claimIdleMs,
        maxLen: settings.maxLength,
        ...(settings.maxAgeMs === null ? {} : { maxAgeMs: settings.maxAgeMs }),
      });
    }
    const { connectRabbitBus } = await import('../bus/rabbitmq/bus.js');
    return connectRabbitBus({ ...delivery, url, exchange: `${namespace}.events`, queuePrefix: `${namespace}.` });
  };
  // Object.assign keeps the connecting bus's `connected` getter.
  return Object.assign(createConnectingBus({ connect, describe: description, logger, maxAttempts: settings.maxAttempts }), { description });
}
