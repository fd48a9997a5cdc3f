// The relay: a loop in the service that forwards committed outbox rows to the bus. It wakes when a
// transaction with events commits, polls as a fallback (rows left by a crash, rows committed by
// another replica), backs off while the bus or the database fails, and never throws.
import type { Logger } from 'pino';
import type { EventBus } from '../../bus/types.js';
import type { Database } from '../types.js';
import { forwardBatch } from './batch.js';
import { deleteSentRows } from './retention.js';

/**
 * Settings of {@link startRelay}; every duration in milliseconds (defaults: see OutboxOptions).
 *
 * @example
 * const settings: RelaySettings = { db, bus, service: 'orders', logger, batchSize: 100, pollIntervalMs: 1000,
 *   publishTimeoutMs: 5000, retryDelayMs: 100, maxRetryDelayMs: 30000, retentionMs: 3600000, cleanupIntervalMs: 60000 };
 */
export interface RelaySettings {
  readonly db: Database;
  readonly bus: EventBus;
  readonly service: string;
  readonly logger: Logger;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly publishTimeoutMs: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly retentionMs: number;
  readonly cleanupIntervalMs: number;
}

/**
 * A running relay.
 *
 * @example
 * relay.wake();        // a transaction with events committed
 * await relay.close(); // waits for the batch in flight
 */
export interface Relay {
  /** Forward soon: called after a commit that wrote events. */
  wake(): void;
  /** Resolves once every committed row is sent, or rejects after `timeoutMs` (tests, graceful stops). */
  drained(timeoutMs?: number): Promise<void>;
  /** Stops polling and waits for the batch in flight; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the relay loop.
 *
 * @param settings - database, bus, service, logger and the timing (see OutboxOptions for defaults)
 * @example
 * const relay = startRelay({ db, bus, service: 'orders', logger, batchSize: 100, pollIntervalMs: 1000,
 *   publishTimeoutMs: 5000, retryDelayMs: 100, maxRetryDelayMs: 30000, retentionMs: 3600000, cleanupIntervalMs: 60000 });
 */
export function startRelay(settings: RelaySettings): Relay {
  const log = settings.logger.child({ component: 'outbox-relay', service: settings.service });
  let closed = false;
  let woken = false;
  let interrupt: (() => void) | undefined;
  let failures = 0;
  let nextCleanup = Date.now() + settings.cleanupIntervalMs;
  let passes = 0;
  // drained() callers, each with the number of the first pass that may satisfy it (one that began
  // after the call, so its read saw every row committed before the call).
  const idleWaiters = new Map<() => void, number>();
  const wake = () => {
    woken = true;
    interrupt?.();
  };

  // Sleeps `ms`, cut short by wake() (unless `backoff`: a failing bus is not retried faster because
  // more events arrive) and by close().
  const pause = (ms: number, backoff: boolean) =>
    new Promise<void>((resolve) => {
      if (closed || (woken && !backoff)) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      }
      interrupt = backoff ? () => closed && done() : done;
    });

  const pass = async (): Promise<'more' | 'idle' | 'failed'> => {
    woken = false;
    const number = ++passes;
    try {
      const result = await forwardBatch(settings);
      if (result.busy) return 'idle';
      if (result.error !== undefined) {
        failures += 1;
        log.warn({ err: result.error, failures, sent: result.sent }, 'the bus refused an outbox event: retrying, nothing is dropped');
        return 'failed';
      }
      if (failures > 0) log.info({ failures }, 'the outbox relay forwards again');
      failures = 0;
      if (result.read === settings.batchSize) return 'more';
      for (const [notify, from] of idleWaiters) if (number >= from) notify();
      return 'idle';
    } catch (err) {
      failures += 1;
      log.warn({ err, failures }, 'the outbox relay could not read the outbox: retrying');
      return 'failed';
    }
  };

  const cleanup = async () => {
    if (Date.now() < nextCleanup) return;
    nextCleanup = Date.now() + settings.cleanupIntervalMs;
    try {
      await deleteSentRows(settings.db, settings.retentionMs);
    } catch (err) {
      log.warn({ err }, 'the outbox relay could not delete old sent rows: trying again later');
    }
  };

  const loop = (async () => {
    while (!closed) {
      const outcome = await pass();
      if (closed) break;
      if (outcome === 'more') continue;
      await cleanup();
      if (outcome === 'failed') {
        await pause(Math.min(settings.retryDelayMs * 2 ** Math.min(failures - 1, 20), settings.maxRetryDelayMs), true);
      } else {
        await pause(settings.pollIntervalMs, false);
      }
    }
  })();

  return {
    wake,
    drained(timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          idleWaiters.delete(notify);
          reject(new Error(`the outbox of ${settings.service} was not drained within ${timeoutMs} ms`));
        }, timeoutMs);
        function notify() {
          clearTimeout(timer);
          idleWaiters.delete(notify);
          resolve();
        }
        idleWaiters.set(notify, passes + 1);
        wake();
      });
    },
    async close() {
      closed = true;
      interrupt?.();
      await loop;
    },
  };
}
