// Where the RabbitMQ bus puts things. One place for the names, so the bus, its tests and (later) the
// dead-letter CLI agree on them.

export interface RabbitNamesOptions {
  /** The durable topic exchange events are published to. */
  exchange: string;
  /** Put before a group's name to form its queue's name. */
  queuePrefix: string;
}

export interface GroupQueues {
  /** The group's work queue: bound to each event it subscribes to; its consumers share it. */
  readonly queue: string;
  /** Where the group's events go when retrying cannot help or the attempts ran out. */
  readonly dead: string;
  /** The delay queue for one retry wait: its TTL dead-letters messages back to the work queue. */
  retry(delayMs: number): string;
}

/** The direct exchange dead letters are published to, routed by work queue name. */
export function deadLetterExchange(exchange: string): string {
  return `${exchange}.dead`;
}

export function groupQueues(options: RabbitNamesOptions, group: string): GroupQueues {
  const queue = `${options.queuePrefix}${group}`;
  return {
    queue,
    dead: `${queue}.dead`,
    // Named by the delay, not the attempt: a queue's TTL cannot change once declared, so a new delay gets a new queue.
    retry: (delayMs) => `${queue}.retry.${delayMs}ms`,
  };
}

/** The wait before the attempt after `failedAttempts` failures: doubled each time, capped. */
export function retryDelay(failedAttempts: number, retryDelayMs: number, maxRetryDelayMs: number): number {
  return Math.min(retryDelayMs * 2 ** (failedAttempts - 1), maxRetryDelayMs);
}
