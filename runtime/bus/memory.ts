// An in-process EventBus: what `meshspec dev` and tests use, and what a single-process deployment
// gets. Semantics, matching what hooks must already tolerate from a real broker:
// - delivery is asynchronous: a handler never runs inside `publish`'s call stack;
// - each event goes once to every subscribing group, to one of the group's handlers (round-robin,
//   like replicas of a service sharing a queue);
// - a throwing handler gets the event again, with exponential backoff, up to `maxAttempts` (the
//   subscription's own, else the bus's; the member that gets an attempt sets its limit); then the
//   event is dead-lettered (logged and kept in `deadLetters`);
// - events travel as JSON, as over a broker: each delivery gets its own parsed copy (a Date arrives
//   as a string), so neither the publisher nor another group can change what a handler sees;
// - nothing is persisted: events published with no subscriber, events waiting for a retry when the
//   bus closes, and everything on a crash are lost (at-most-once across restarts).
import type { Logger } from 'pino';
import { createLogger } from '../logging/index.js';
import {
  UnprocessableEvent,
  type BusSubscription,
  type EnvelopeHandler,
  type EventBus,
  type EventEnvelope,
  type SubscribeOptions,
} from './types.js';
import { subscriptionMaxAttempts } from './subscribe-options.js';

export interface MemoryBusOptions {
  /** Deliveries of one event to one group, the first included; a subscription's own `maxAttempts` wins. Default 5. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled for each further one. Default 10 ms. */
  retryDelayMs?: number;
  /** Upper bound of the wait between attempts. Default 1000 ms. */
  maxRetryDelayMs?: number;
  logger?: Logger;
}

export interface DeadLetter {
  readonly envelope: EventEnvelope;
  readonly group: string;
  readonly attempts: number;
  readonly error: unknown;
  /** ISO 8601. */
  readonly time: string;
}

export interface MemoryBus extends EventBus {
  /** Events whose handler kept failing (or refused them as unprocessable), oldest first. */
  readonly deadLetters: readonly DeadLetter[];
  /** Resolves when no delivery is pending, running or waiting for a retry. */
  idle(): Promise<void>;
}

interface Member {
  readonly handler: EnvelopeHandler;
  /** This subscription's attempts limit. */
  readonly maxAttempts: number;
  /** Handler calls in progress, so unsubscribing can wait for them. */
  readonly running: Set<Promise<unknown>>;
}

interface Group {
  readonly name: string;
  readonly members: Member[];
  next: number;
}

export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 10;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 1000;
  const logger = options.logger ?? createLogger({ service: 'bus' });

  /** event -> group name -> group. */
  const topics = new Map<string, Map<string, Group>>();
  const deadLetters: DeadLetter[] = [];
  const deliveries = new Set<Promise<void>>();
  /** Pending retry waits, cut short on close. */
  const wakers = new Set<() => void>();
  let closed = false;
  let closing: Promise<void> | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  const pick = (group: Group): Member | undefined => {
    if (group.members.length === 0) return undefined;
    group.next %= group.members.length;
    const member = group.members[group.next];
    group.next += 1;
    return member;
  };

  async function deliver(group: Group, snapshot: string): Promise<void> {
    const envelope = JSON.parse(snapshot) as EventEnvelope;
    // Off publish's call stack: the publisher's code after `await publish()` runs first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const log = { event: envelope.event, eventId: envelope.id, group: group.name };
    for (let attempt = 1; ; attempt++) {
      if (closed) {
        logger.warn(log, 'event not delivered: the bus closed');
        return;
      }
      const member = pick(group);
      if (!member) {
        logger.warn(log, 'event not delivered: its subscribers left');
        return;
      }
      // A fresh copy per attempt: a handler that mutated the payload and failed must not taint the retry,
      // and groups never share an object.
      const run = callHandler(member.handler, attempt === 1 ? envelope : (JSON.parse(snapshot) as EventEnvelope));
      member.running.add(run);
      const forget = () => member.running.delete(run);
      run.then(forget, forget);
      try {
        await run;
        return;
      } catch (error) {
        const unprocessable = error instanceof UnprocessableEvent;
        if (unprocessable || attempt >= member.maxAttempts) {
          deadLetters.push({ envelope: JSON.parse(snapshot) as EventEnvelope, group: group.name, attempts: attempt, error, time: new Date().toISOString() });
          logger.error({ ...log, attempts: attempt, err: error }, 'event dead-lettered');
          return;
        }
        const delay = Math.min(retryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
        logger.warn({ ...log, attempt, retryInMs: delay, err: error }, 'event handler failed; retrying');
        await sleep(delay);
      }
    }
  }

  return {
    deadLetters,
    maxAttempts,

    async publish(envelope) {
      if (closed) throw new Error(`cannot publish '${envelope.event}': the event bus is closed`);
      const groups = topics.get(envelope.event);
      if (!groups) {
        logger.debug({ event: envelope.event, eventId: envelope.id }, 'event dropped: no subscriber');
        return;
      }
      // Snapshot now, as a broker would serialize it: later changes by the publisher do not leak in.
      const snapshot = JSON.stringify(envelope);
      for (const group of groups.values()) {
        const delivery = deliver(group, snapshot);
        deliveries.add(delivery);
        const forget = () => deliveries.delete(delivery);
        delivery.then(forget, forget);
      }
    },

    async subscribe(event, groupName, handler, subscribeOptions?: SubscribeOptions): Promise<BusSubscription> {
      if (closed) throw new Error(`cannot subscribe to '${event}': the event bus is closed`);
      const memberMaxAttempts = subscriptionMaxAttempts(subscribeOptions, maxAttempts);
      let groups = topics.get(event);
      if (!groups) topics.set(event, (groups = new Map()));
      let group = groups.get(groupName);
      if (!group) groups.set(groupName, (group = { name: groupName, members: [], next: 0 }));
      const member: Member = { handler, maxAttempts: memberMaxAttempts, running: new Set() };
      group.members.push(member);
      const owner = group;
      let left = false;
      return {
        async unsubscribe() {
          if (!left) {
            left = true;
            owner.members.splice(owner.members.indexOf(member), 1);
            if (owner.members.length === 0 && groups.get(groupName) === owner) {
              groups.delete(groupName);
              if (groups.size === 0 && topics.get(event) === groups) topics.delete(event);
            }
          }
          await Promise.allSettled(member.running);
        },
      };
    },

    idle: async () => {
      while (deliveries.size > 0) await Promise.allSettled(deliveries);
    },

    close() {
      closing ??= (async () => {
        closed = true;
        for (const wake of [...wakers]) wake();
        await Promise.allSettled(deliveries);
      })();
      return closing;
    },
  };
}

// Turns a synchronous throw into a rejection, so both are retried alike.
async function callHandler(handler: EnvelopeHandler, envelope: EventEnvelope): Promise<void> {
  await handler(envelope);
}
