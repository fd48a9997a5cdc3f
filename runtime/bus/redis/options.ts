// Settings of the Redis Streams bus and their defaults, in one place so the bus and its consumers agree.
import type { Logger } from 'pino';

export interface RedisBusOptions {
  /** Redis URL. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every key the bus writes. Default `meshspec:`. */
  prefix?: string;
  /** Approximate length each event stream is trimmed to on publish (`MAXLEN ~`). Default 100000. */
  maxLen?: number;
  /**
   * Approximate age past which entries are trimmed from each event stream (`XTRIM MINID ~`, checked
   * on publish at most once per `min(maxAgeMs / 10, 1000)` ms per stream), or null for no age limit. Default null.
   */
  maxAgeMs?: number | null;
  /** Deliveries of one event to one group, the first included; a subscription's own `maxAttempts` wins. Default 5, as the memory bus. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled for each further one. Default 100 ms. */
  retryDelayMs?: number;
  /** Upper bound of the wait between attempts; keep it below `claimIdleMs`. Default 5000 ms. */
  maxRetryDelayMs?: number;
  /** Idle time after which an entry left pending by another consumer is claimed (XAUTOCLAIM). Default 30000 ms. */
  claimIdleMs?: number;
  /** Entries fetched per read (XREADGROUP COUNT). Default 100. */
  batchSize?: number;
  /** Longest wait of one blocking read (XREADGROUP BLOCK); capped by `claimIdleMs`. Default 2000 ms. */
  blockMs?: number;
  /** Names this process's consumers (`<consumerPrefix>-<random>`). Default `<hostname>-<pid>`. */
  consumerPrefix?: string;
  logger?: Logger;
}

export type ResolvedOptions = Required<Omit<RedisBusOptions, 'logger' | 'maxAgeMs'>> & { maxAgeMs: number | null; logger: Logger };

export function resolveOptions(options: RedisBusOptions, defaults: { consumerPrefix: string; logger: Logger }): ResolvedOptions {
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const maxAgeMs = options.maxAgeMs ?? null;
  if (maxAgeMs !== null && !(Number.isInteger(maxAgeMs) && maxAgeMs > 0)) throw new RangeError(`maxAgeMs must be a positive integer or null, got ${maxAgeMs}`);
  return {
    url: options.url ?? 'redis://127.0.0.1:6379',
    prefix: options.prefix ?? 'meshspec:',
    maxLen: options.maxLen ?? 100_000,
    maxAgeMs,
    maxAttempts: options.maxAttempts ?? 5,
    retryDelayMs: options.retryDelayMs ?? 100,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 5000,
    claimIdleMs,
    batchSize: options.batchSize ?? 100,
    blockMs: Math.max(1, Math.min(options.blockMs ?? 2000, claimIdleMs)),
    consumerPrefix: options.consumerPrefix ?? defaults.consumerPrefix,
    logger: options.logger ?? defaults.logger,
  };
}

/**
 * The stream of one event.
 * @param prefix the bus's key prefix (default `meshspec:`)
 * @example streamKey('meshspec:', 'order.created') // 'meshspec:events:order.created'
 */
export const streamKey = (prefix: string, event: string) => `${prefix}events:${event}`;
/**
 * The dead-letter stream of one group (subscribing service); its entries hold envelope, event, group,
 * error, attempts, time, and the stream and entry id they came from.
 * @param prefix the bus's key prefix (default `meshspec:`)
 * @example deadLetterKey('meshspec:', 'orders') // 'meshspec:dead:orders'
 */
export const deadLetterKey = (prefix: string, group: string) => `${prefix}dead:${group}`;
