// Listing and replaying a group's dead letters (its queue `<queue>.dead`, filled by group.ts).
// RabbitMQ has no way to read a queue without taking its messages, so both take them with basic.get
// unacknowledged and put back what they do not replay with one nack-and-requeue at the end: a classic
// queue puts requeued messages back at their places, and a process that dies meanwhile loses nothing
// (the broker requeues what its closed channel held). While a listing runs, the messages it holds are
// invisible to another listing or replay of the same group.
import { createHash } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import { parseEnvelope, type DeadLetter, type DeadLetterAdmin, type ListDeadLettersOptions, type ReplayResult } from '../dead-letters.js';
import { publishConfirmed } from './confirm.js';
import { ATTEMPTS_HEADER, DEAD_AT_HEADER, ERROR_HEADER, EVENT_HEADER, GROUP_HEADER, attemptsOf } from './headers.js';
import { groupQueues, type GroupQueues } from './names.js';

/**
 * Where the dead letters are and how long to try reaching the broker.
 *
 * @example
 * const options: RabbitDeadLettersOptions = { url: 'amqp://guest:guest@127.0.0.1:5672', queuePrefix: 'meshspec.', connectTimeoutMs: 3000 };
 */
export interface RabbitDeadLettersOptions {
  /** AMQP URL, e.g. `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url: string;
  /** Prefix of each group's queue name, as the bus uses it. Default `meshspec.`. */
  readonly queuePrefix?: string;
  /** How long connecting may take before it fails. Default 3000 ms. */
  readonly connectTimeoutMs?: number;
}

/** Replayed messages published before waiting for their confirms. */
const REPLAY_BATCH = 200;

/**
 * Connects to RabbitMQ for listing and replaying the dead letters of the RabbitMQ bus. Rejects when
 * the broker cannot be reached (or does not complete the handshake) within `connectTimeoutMs`.
 *
 * A dead letter's id is its message id, which the bus sets to the envelope's id. Replay publishes
 * each chosen dead letter to its group's work queue through the default exchange (so only that group
 * gets it), without the attempt count, waits for the broker's confirm, and only then acknowledges
 * (removes) the dead message: a process that dies in between leaves the event both replayed and
 * still dead-lettered, so replaying it again delivers it twice (a duplicate the idempotency helper
 * absorbs), never zero times. Copies of one event dead-lettered twice are replayed once.
 *
 * @param options.url AMQP URL (required)
 * @param options.queuePrefix default `meshspec.` (a group's dead letters are in `meshspec.<group>.dead`)
 * @param options.connectTimeoutMs default 3000
 * @example
 * const admin = await connectRabbitDeadLetters({ url: 'amqp://guest:guest@127.0.0.1:5672' });
 * try {
 *   const letters = await admin.list('orders', { event: 'payment.completed', limit: 20 });
 *   await admin.replay('orders', letters.map((l) => l.id));
 * } finally {
 *   await admin.close();
 * }
 */
export async function connectRabbitDeadLetters(options: RabbitDeadLettersOptions): Promise<DeadLetterAdmin> {
  const timeoutMs = options.connectTimeoutMs ?? 3000;
  const connection = await connectWithin(options.url, timeoutMs);
  // Without listeners an 'error' would crash the process; the operation it broke rejects by itself.
  connection.on('error', () => undefined);
  const queues = (group: string) => groupQueues({ exchange: '', queuePrefix: options.queuePrefix ?? 'meshspec.' }, group);

  /** Runs `work` on a channel of its own (a failed check closes only that one), closing it afterwards. */
  async function withChannel<C extends Channel>(open: () => Promise<C>, work: (channel: C) => Promise<void>): Promise<void> {
    const channel = await open();
    channel.on('error', () => undefined);
    try {
      await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Whether a queue exists (checked on a throwaway channel: a missing queue closes the channel). */
  async function messagesIn(queue: string): Promise<number | null> {
    let count: number | null = null;
    try {
      await withChannel(() => connection.createChannel(), async (channel) => {
        count = (await channel.checkQueue(queue)).messageCount;
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return null;
      throw error;
    }
    return count;
  }

  /** Takes every message of the dead queue, unacknowledged, until `enough` says stop. */
  async function takeAll(channel: Channel, q: GroupQueues, enough: (taken: GetMessage[]) => boolean = () => false): Promise<GetMessage[]> {
    const taken: GetMessage[] = [];
    while (!enough(taken)) {
      const message = await channel.get(q.dead, { noAck: false });
      if (message === false) break;
      taken.push(message);
    }
    return taken;
  }

  return {
    async list(group: string, { event, limit = Infinity }: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
      const q = queues(group);
      const found: DeadLetter[] = [];
      if (limit <= 0 || (await messagesIn(q.dead)) === null) return found;
      await withChannel(() => connection.createChannel(), async (channel) => {
        const taken = await takeAll(channel, q, (messages) => {
          const last = messages[messages.length - 1];
          if (last) {
            const letter = toDeadLetter(last);
            if (event === undefined || letter.event === event) found.push(letter);
          }
          return found.length >= limit;
        });
        if (taken.length > 0) requeueAll(channel);
      });
      return found;
    },

    async count(group: string): Promise<number> {
      return (await messagesIn(queues(group).dead)) ?? 0;
    },

    async replay(group: string, ids: readonly string[] | 'all'): Promise<ReplayResult> {
      const q = queues(group);
      const wanted = ids === 'all' ? null : new Set(ids);
      if ((await messagesIn(q.dead)) === null) return { replayed: 0, notFound: wanted ? [...wanted] : [] };
      if ((await messagesIn(q.queue)) === null) {
        throw new Error(`the queue ${q.queue} does not exist: start the ${group} service once, so that it declares its queue, and replay again`);
      }
      let replayed = 0;
      const seen = new Set<string>();
      await withChannel(() => connection.createConfirmChannel(), async (channel) => {
        let returned = false;
        // mandatory + 'return': a work queue deleted meanwhile would otherwise swallow the message unnoticed.
        channel.on('return', () => (returned = true));
        const taken = await takeAll(channel, q);
        const chosen = taken.filter((message) => !wanted || wanted.has(idOf(message)));
        try {
          // In batches, each confirmed as a whole before its dead copies are acknowledged: one confirm
          // wait per batch, not per message (a persistent message's confirm waits for the disk).
          for (let start = 0; start < chosen.length; start += REPLAY_BATCH) {
            const batch = chosen.slice(start, start + REPLAY_BATCH);
            const sent = new Set<string>();
            const publishing: Promise<void>[] = [];
            for (const message of batch) {
              const id = idOf(message);
              // A second copy of an event already sent back is removed, not sent twice.
              if (seen.has(id) || sent.has(id)) continue;
              sent.add(id);
              publishing.push(publishConfirmed(channel as ConfirmChannel, '', q.queue, message.content, replayOptions(message)));
            }
            await Promise.all(publishing);
            if (returned) throw new Error(`the broker could not route replayed messages to ${q.queue}; they stay dead-lettered`);
            for (const id of sent) seen.add(id);
            replayed += sent.size;
            for (const message of batch) channel.ack(message);
          }
        } finally {
          // What was not replayed goes back to the dead letters, in its order (a closed channel has given it back already).
          if (taken.length > 0) requeueAll(channel);
        }
      });
      return { replayed, notFound: wanted ? [...wanted].filter((id) => !seen.has(id)) : [] };
    },

    async close() {
      await connection.close().catch(() => undefined);
    },
  };
}

function requeueAll(channel: Channel): void {
  try {
    channel.nackAll(true);
  } catch {
    // The channel is closed: the broker requeued its unacknowledged messages itself.
  }
}

/** amqp.connect with a bound on the whole handshake, not only on the TCP connect. */
async function connectWithin(url: string, timeoutMs: number): Promise<ChannelModel> {
  const connecting = amqp.connect(url, { timeout: timeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the broker within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } catch (error) {
    // A connection that completes after the deadline is closed, so it cannot keep the process alive.
    void connecting.then((late) => late.close()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The message id the bus set (the envelope's id); else the envelope's id; else a digest of the body. */
function idOf(message: GetMessage): string {
  const messageId: unknown = message.properties.messageId;
  if (typeof messageId === 'string' && messageId !== '') return messageId;
  const envelope = parseEnvelope(message.content.toString('utf8'));
  if (typeof envelope?.id === 'string' && envelope.id !== '') return envelope.id;
  return `sha256-${createHash('sha256').update(message.content).digest('hex').slice(0, 16)}`;
}

function header(message: GetMessage, name: string): string | undefined {
  const value: unknown = message.properties.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

function toDeadLetter(message: GetMessage): DeadLetter {
  const envelope = parseEnvelope(message.content.toString('utf8'));
  return {
    id: idOf(message),
    event: header(message, EVENT_HEADER) ?? (typeof envelope?.event === 'string' ? envelope.event : message.fields.routingKey),
    envelopeId: typeof envelope?.id === 'string' ? envelope.id : null,
    source: typeof envelope?.source === 'string' ? envelope.source : null,
    error: header(message, ERROR_HEADER) ?? '',
    attempts: attemptsOf(message.properties.headers),
    deadAt: header(message, DEAD_AT_HEADER) ?? null,
    envelope,
  };
}

/** The dead message as a first delivery: same body, id and event, without the attempt count and the dead-letter marks. */
function replayOptions(message: GetMessage): Options.Publish {
  const headers: Record<string, unknown> = { ...message.properties.headers };
  for (const name of [ATTEMPTS_HEADER, ERROR_HEADER, DEAD_AT_HEADER, GROUP_HEADER]) delete headers[name];
  const options: Options.Publish = {
    persistent: true,
    mandatory: true,
    contentType: message.properties.contentType ?? 'application/json',
    headers,
  };
  const messageId: unknown = message.properties.messageId;
  if (typeof messageId === 'string') options.messageId = messageId;
  return options;
}
