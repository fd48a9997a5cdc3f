// Moving an entry to its group's dead-letter stream: the XADD and the XACK go in one MULTI, so the
// entry is never both dead-lettered and still pending (nor acknowledged and not dead-lettered).
import type { Redis } from 'ioredis';

export interface DeadLetterRecord {
  readonly stream: string;
  readonly group: string;
  readonly entryId: string;
  readonly event: string;
  /** The envelope's JSON as published (empty when the entry was trimmed away before it could be read). */
  readonly envelope: string;
  readonly error: string;
  readonly attempts: number;
}

export async function deadLetter(redis: Redis, key: string, record: DeadLetterRecord): Promise<void> {
  const fields = [
    'envelope', record.envelope,
    'event', record.event,
    'group', record.group,
    'error', record.error,
    'attempts', String(record.attempts),
    'time', new Date().toISOString(),
    'stream', record.stream,
    'entryId', record.entryId,
  ];
  const results = await redis.multi().xadd(key, '*', ...fields).xack(record.stream, record.group, record.entryId).exec();
  const failed = results?.find(([error]) => error);
  if (!results || failed) throw failed?.[0] ?? new Error(`dead-lettering ${record.entryId} was aborted`);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
