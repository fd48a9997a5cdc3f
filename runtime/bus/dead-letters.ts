// What the dead-letter admin of a durable bus adapter (redis/dead-letters.ts, rabbitmq/dead-letters.ts)
// offers, so the CLI lists and replays dead letters the same way on either broker.
import type { EventEnvelope } from './types.js';

/**
 * One event a subscribing group gave up on: retried until its attempts ran out, or unprocessable.
 *
 * @example
 * const letter: DeadLetter = { id: '1733145600000-0', event: 'payment.completed', envelopeId: 'c0ffee…', source: 'payments', error: 'Error: card declined', attempts: 5, deadAt: '2026-12-02T13:20:00.000Z', envelope };
 */
export interface DeadLetter {
  /** The id to replay it by: Redis, the dead-letter stream's entry id; RabbitMQ, the message id (the envelope's id). */
  readonly id: string;
  readonly event: string;
  /** The envelope's id; null when the dead letter is not a readable envelope. */
  readonly envelopeId: string | null;
  /** The publishing service; null when unknown. */
  readonly source: string | null;
  /** The last handler error (or why the event could not be handled). */
  readonly error: string;
  /** Deliveries made to the group before it gave up. */
  readonly attempts: number;
  /** ISO 8601 time it was dead-lettered; null when unknown. */
  readonly deadAt: string | null;
  /** The envelope as published; null when the message is not a readable envelope. */
  readonly envelope: EventEnvelope | null;
}

/**
 * Which dead letters to list.
 *
 * @example
 * const options: ListDeadLettersOptions = { event: 'payment.completed', limit: 20 };
 */
export interface ListDeadLettersOptions {
  /** Only dead letters of this event. Default: every event. */
  readonly event?: string;
  /** At most this many, oldest first. Default: all. */
  readonly limit?: number;
}

/**
 * What a replay did.
 *
 * @example
 * const result: ReplayResult = { replayed: 2, notFound: ['1733145600000-9'] };
 */
export interface ReplayResult {
  /** Dead letters sent back to their group and removed from its dead letters. */
  readonly replayed: number;
  /** Requested ids the group has no dead letter for (already replayed, or mistyped). */
  readonly notFound: readonly string[];
}

/**
 * Listing and replaying one broker's dead letters. Replaying sends an event back to the one group it
 * was dead-lettered for (not to the event's other subscribers) with its attempts reset.
 *
 * @example
 * const admin = await connectRedisDeadLetters({ url: 'redis://127.0.0.1:6379' });
 * try {
 *   const letters = await admin.list('orders', { event: 'payment.completed' });
 *   await admin.replay('orders', letters.map((l) => l.id));
 * } finally {
 *   await admin.close();
 * }
 */
export interface DeadLetterAdmin {
  /** The group's dead letters, oldest first. */
  list(group: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
  /**
   * How many dead letters the group has (of every event). On RabbitMQ it is the broker's message
   * count, which lags for a moment after a listing or replay put messages back.
   */
  count(group: string): Promise<number>;
  /** Sends the given dead letters (or all of them) back to the group. */
  replay(group: string, ids: readonly string[] | 'all'): Promise<ReplayResult>;
  close(): Promise<void>;
}

/**
 * The envelope a dead letter holds, or null when it holds no JSON object (it may have been
 * dead-lettered for exactly that).
 *
 * @param json the message body or stream field as published
 * @example parseEnvelope('{"id":"1","event":"a"}')?.id // '1'
 */
export function parseEnvelope(json: string): EventEnvelope | null {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as EventEnvelope) : null;
  } catch {
    return null;
  }
}
