// The headers the bus writes on messages it moves to a retry or dead-letter queue.

/** Attempts already made (and failed) for this group: absent on a first delivery. */
export const ATTEMPTS_HEADER = 'x-meshspec-attempts';
/** The last handler error's message, on dead letters. */
export const ERROR_HEADER = 'x-meshspec-error';
/** ISO 8601 time the message was dead-lettered. */
export const DEAD_AT_HEADER = 'x-meshspec-dead-at';
/** The event name (routing key of the original publish), which moving through queues loses. */
export const EVENT_HEADER = 'x-meshspec-event';
/** The subscribing group the dead letter belongs to. */
export const GROUP_HEADER = 'x-meshspec-group';

/** Failed attempts so far, from a message's headers (0 when absent or unreadable). */
export function attemptsOf(headers: Record<string, unknown> | undefined): number {
  const value = Number(headers?.[ATTEMPTS_HEADER] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}
