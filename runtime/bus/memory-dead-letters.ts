// The dead-letter admin of the memory bus: the same listing and replay as on Redis and RabbitMQ
// (dead-letters.ts), over the dead letters a MemoryBus keeps, so the dev dashboard replays them with
// the code `meshspec events dlq replay` runs (replay.ts).
import type { DeadLetter, DeadLetterAdmin, ListDeadLettersOptions, ReplayResult } from './dead-letters.js';
import type { DeadLetter as MemoryDeadLetter, MemoryBus } from './memory.js';

/**
 * A DeadLetterAdmin over a memory bus. A replay sends each dead letter back to its group alone, with
 * its attempts reset, and removes it; it rejects (a ReplayRefused, nothing moved) when the group no
 * longer subscribes to one of the events concerned. `close` leaves the bus alone.
 *
 * @param bus the memory bus whose dead letters to list and replay
 * @example
 * const admin = createMemoryDeadLetters(running.bus);
 * const letters = await admin.list('orders', { event: 'payment.completed', limit: 20 });
 * const { replayed, notFound } = await admin.replay('orders', letters.map((l) => l.id));
 */
export function createMemoryDeadLetters(bus: MemoryBus): DeadLetterAdmin {
  return {
    async list(group: string, { event, limit = Infinity }: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
      const found: DeadLetter[] = [];
      for (const letter of bus.deadLetters) {
        if (found.length >= limit) break;
        if (letter.group === group && (event === undefined || letter.envelope.event === event)) found.push(toDeadLetter(letter));
      }
      return found;
    },

    async count(group: string): Promise<number> {
      let total = 0;
      for (const letter of bus.deadLetters) if (letter.group === group) total += 1;
      return total;
    },

    async replay(group: string, ids: readonly string[] | 'all'): Promise<ReplayResult> {
      return bus.replayDeadLetters(group, ids);
    },

    async close() {
      // The bus is the stack's: it closes with the stack.
    },
  };
}

/**
 * A memory bus's dead letter in the brokers' shape: the error on one line, `Name: message` as the
 * Redis adapter words it.
 *
 * @param letter one of `bus.deadLetters`
 * @example
 * const shown = bus.deadLetters.map(toDeadLetter);
 */
export function toDeadLetter(letter: MemoryDeadLetter): DeadLetter {
  const { envelope } = letter;
  return {
    id: letter.id,
    event: envelope.event,
    envelopeId: typeof envelope.id === 'string' ? envelope.id : null,
    source: typeof envelope.source === 'string' ? envelope.source : null,
    error: errorLine(letter.error),
    attempts: letter.attempts,
    deadAt: letter.time,
    envelope,
  };
}

/** Longest error kept: a dead letter's error is for a list, not for a stack trace. */
const ERROR_LIMIT = 2000;

function errorLine(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    // A thrown value without a string form (an object with a null prototype).
    text = 'a value that is not an Error';
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= ERROR_LIMIT ? line : `${line.slice(0, ERROR_LIMIT - 1)}…`;
}
