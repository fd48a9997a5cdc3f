// One subscription: a consumer of its group reading the event's stream on a dedicated connection.
// - new entries come from XREADGROUP BLOCK; entries idle longer than claimIdleMs in the group's pending
//   list (a dead consumer's) are taken over with XAUTOCLAIM between reads;
// - an entry is acknowledged only after its handler succeeded; a failing one stays pending and is
//   re-taken with XCLAIM after the backoff; its attempt is the delivery count Redis keeps (XPENDING),
//   so attempts made by a consumer that died count too;
// - after maxAttempts, or at once for UnprocessableEvent, it moves to the dead-letter stream.
import type { Redis } from 'ioredis';
import { UnprocessableEvent, type EnvelopeHandler, type EventEnvelope } from '../types.js';
import { deadLetter, errorMessage } from './dead-letter.js';
import { fromReadGroup, toEntries, type StreamEntry } from './entries.js';
import type { ResolvedOptions } from './options.js';

export interface ConsumerSettings {
  /** Shared connection for the non-blocking commands. */
  readonly redis: Redis;
  /** This consumer's own connection, named `connectionName` so stop() can unblock its read. */
  readonly reader: Redis;
  readonly connectionName: string;
  readonly options: ResolvedOptions;
  readonly stream: string;
  readonly deadLetterStream: string;
  readonly event: string;
  readonly group: string;
  readonly consumer: string;
  readonly handler: EnvelopeHandler;
}

export interface Consumer {
  /** Stops fetching, waits for the handlers in flight and their acknowledgements, then disconnects. */
  stop(): Promise<void>;
  /** Drops the connection at once, as a crash would: what is in flight stays pending for another consumer. */
  kill(): void;
}

/** Creates the group if needed. It starts at '0': a group sees every event still in its stream, also those published before its service first subscribed. */
export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
  }
}

export function startConsumer(settings: ConsumerSettings): Consumer {
  const { redis, reader, options, stream, group, consumer, handler } = settings;
  const log = options.logger.child({ event: settings.event, group, consumer });
  /** Entries this consumer handles or waits to retry: a claim of one of them must not start a second run. */
  const inFlight = new Set<string>();
  const running = new Set<Promise<void>>();
  const retryTimers = new Map<string, NodeJS.Timeout>();
  let stopping = false;
  let stopped: Promise<void> | null = null;

  const track = (work: Promise<void>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  };

  async function deliveryCount(id: string): Promise<number | undefined> {
    const rows = (await redis.xpending(stream, group, id, id, 1)) as [string, string, number, number][];
    return rows[0]?.[3];
  }

  /** Runs the handler once for an entry just delivered to this consumer as attempt `attempt`. */
  async function handle(entry: StreamEntry, attempt: number): Promise<void> {
    let retrying = false;
    try {
      const fields = { eventId: undefined as string | undefined, entryId: entry.id, attempt };
      if (entry.json === null) {
        // Trimmed away (or not written by this bus) before it could be read: nothing to deliver.
        log.warn(fields, 'stream entry without an envelope; acknowledged');
        await redis.xack(stream, group, entry.id);
        return;
      }
      if (entry.replayFor !== null && entry.replayFor !== group) {
        // A dead letter replayed for another group (dead-letters.ts): that group's alone to handle.
        await redis.xack(stream, group, entry.id);
        return;
      }
      let envelope: EventEnvelope;
      try {
        envelope = JSON.parse(entry.json) as EventEnvelope;
      } catch (error) {
        await bury(entry, attempt, new UnprocessableEvent('the entry is not valid JSON', { cause: error }));
        return;
      }
      fields.eventId = envelope.id;
      if (attempt > options.maxAttempts) {
        // Delivered that often without an acknowledgement: its consumers died or timed out on it.
        await bury(entry, attempt - 1, new Error(`delivered ${attempt - 1} times without an acknowledgement`));
        return;
      }
      try {
        await handler(envelope);
      } catch (error) {
        if (error instanceof UnprocessableEvent || attempt >= options.maxAttempts) {
          await bury(entry, attempt, error);
          return;
        }
        const delay = Math.min(options.retryDelayMs * 2 ** (attempt - 1), options.maxRetryDelayMs);
        log.warn({ ...fields, retryInMs: delay, err: error }, 'event handler failed; retrying');
        retrying = !stopping;
        if (retrying) scheduleRetry(entry.id, attempt, delay);
        return;
      }
      await redis.xack(stream, group, entry.id);
    } catch (error) {
      // Redis unreachable while acknowledging: the entry stays pending and is claimed again later.
      log.error({ entryId: entry.id, err: error }, 'could not acknowledge or dead-letter an entry; it stays pending');
    } finally {
      if (!retrying) inFlight.delete(entry.id);
    }
  }

  async function bury(entry: StreamEntry, attempts: number, error: unknown): Promise<void> {
    await deadLetter(redis, settings.deadLetterStream, {
      stream, group, entryId: entry.id, event: settings.event, envelope: entry.json ?? '', error: errorMessage(error), attempts,
    });
    log.error({ entryId: entry.id, attempts, err: error }, 'event dead-lettered');
  }

  function scheduleRetry(id: string, attempt: number, delay: number): void {
    const timer = setTimeout(() => {
      retryTimers.delete(id);
      if (stopping) return void inFlight.delete(id);
      void track(retry(id, attempt, delay));
    }, delay);
    retryTimers.set(id, timer);
  }

  async function retry(id: string, attempt: number, delay: number): Promise<void> {
    let entries: StreamEntry[];
    let count: number | undefined;
    try {
      // min-idle: if another consumer claimed it meanwhile, its idle time was reset and this takes nothing.
      entries = toEntries(await redis.xclaim(stream, group, consumer, Math.floor(delay / 2), id));
      count = entries.length > 0 ? await deliveryCount(id) : undefined;
    } catch (error) {
      log.error({ entryId: id, err: error }, 'could not re-take an entry for its retry; it stays pending');
      inFlight.delete(id);
      return;
    }
    const entry = entries[0];
    if (!entry) return void inFlight.delete(id);
    await handle(entry, count ?? attempt + 1);
  }

  /** Starts handling unless this consumer already does (an own entry can be claimed back while it runs). */
  function take(entry: StreamEntry, attempt: number): Promise<void> {
    if (inFlight.has(entry.id)) return Promise.resolve();
    inFlight.add(entry.id);
    return track(handle(entry, attempt));
  }

  /** Free handler slots: at most batchSize handlers run at once, so a hung handler never stalls the others. */
  const free = () => Math.max(0, options.batchSize - running.size);

  async function claimIdle(): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = (await redis.xautoclaim(stream, group, consumer, options.claimIdleMs, cursor, 'COUNT', Math.max(1, free()))) as [string, unknown];
      cursor = reply[0];
      // This consumer's own entries come back too when their handler outlasts claimIdleMs. Skip them
      // now, as the reply arrives: their XACK goes out on this connection after the claim, so an entry
      // still in flight here had not been acknowledged, and one taken here cannot finish meanwhile.
      const entries = toEntries(reply[1]).filter((e) => !inFlight.has(e.id));
      if (entries.length === 0) continue;
      for (const e of entries) inFlight.add(e.id);
      log.info({ claimed: entries.length }, 'claimed entries left pending by another consumer');
      let counts: [Error | null, unknown][];
      try {
        const pipeline = redis.pipeline();
        for (const e of entries) pipeline.xpending(stream, group, e.id, e.id, 1);
        counts = (await pipeline.exec()) ?? [];
      } catch (error) {
        for (const e of entries) inFlight.delete(e.id);
        throw error;
      }
      entries.forEach((e, i) => {
        const row = (counts[i]?.[1] as [string, string, number, number][] | undefined)?.[0];
        void track(handle(e, row?.[3] ?? 1));
      });
    } while (cursor !== '0-0' && !stopping && free() > 0);
  }

  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  async function loop(): Promise<void> {
    let lastClaim = 0;
    let failures = 0;
    while (!stopping) {
      try {
        if (free() === 0) {
          await Promise.race(running);
          continue;
        }
        if (Date.now() - lastClaim >= options.blockMs) {
          lastClaim = Date.now();
          await claimIdle();
          if (stopping) break;
          // The claim may have filled every slot, and COUNT 0 would read the whole backlog at once.
          if (free() === 0) continue;
        }
        const reply = await reader.xreadgroup('GROUP', group, consumer, 'COUNT', free(), 'BLOCK', options.blockMs, 'STREAMS', stream, '>');
        failures = 0;
        for (const entry of fromReadGroup(reply)) void take(entry, 1);
      } catch (error) {
        if (stopping) break;
        failures += 1;
        log.error({ err: error }, 'reading the stream failed; retrying');
        // The stream was deleted under the group: recreate it rather than fail forever.
        if (String((error as Error).message).startsWith('NOGROUP')) await ensureGroup(redis, stream, group).catch(() => undefined);
        await pause(Math.min(100 * 2 ** failures, 5000));
      }
    }
  }

  const looping = loop();

  async function unblock(): Promise<void> {
    // CLIENT UNBLOCK ... TIMEOUT makes the blocked XREADGROUP return empty: nothing is delivered and lost.
    const list = String(await redis.client('LIST'));
    const line = list.split('\n').find((l) => l.includes(` name=${settings.connectionName} `));
    const id = line?.match(/^id=(\d+)/)?.[1];
    if (id) await redis.client('UNBLOCK', id, 'TIMEOUT');
  }

  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        // Entries waiting for a retry stay pending: another consumer claims them after claimIdleMs.
        for (const [id, timer] of retryTimers) {
          clearTimeout(timer);
          inFlight.delete(id);
        }
        retryTimers.clear();
        let done = false;
        void looping.finally(() => (done = true));
        // The read may reach Redis after an UNBLOCK sent on the other connection: repeat until it returns.
        while (!done) {
          await unblock().catch(() => undefined);
          await Promise.race([looping, pause(50)]);
        }
        while (running.size > 0) await Promise.allSettled([...running]);
        await forgetConsumer().catch((error: unknown) => log.warn({ err: error }, 'could not remove the consumer from its group'));
        await reader.quit().catch(() => reader.disconnect());
      })();
      return stopped;
    },
    kill() {
      stopping = true;
      for (const timer of retryTimers.values()) clearTimeout(timer);
      reader.disconnect();
    },
  };

  /** Removes this consumer from the group when it holds nothing pending (removing it would drop its pending entries). */
  async function forgetConsumer(): Promise<void> {
    const mine = (await redis.xpending(stream, group, '-', '+', 1, consumer)) as unknown[];
    if (mine.length === 0) await redis.xgroup('DELCONSUMER', stream, group, consumer);
  }
}
