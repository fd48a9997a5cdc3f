// An in-process EventBus: what `meshspec dev` and tests use, and what a single-process deployment
// gets. Semantics, matching what hooks must already tolerate from a real broker:
// - delivery is asynchronous: a handler never runs inside `publish`'s call stack, nor in its async
//   context: it runs in the context its subscription was made in, as a broker consumer's loop does
//   (a publisher inside a database transaction, like the outbox relay, must not lend the handler it);
// - each event goes once to every subscribing group, to one of the group's handlers (round-robin,
//   like replicas of a service sharing a queue);
// - a throwing handler gets the event again, with exponential backoff, up to `maxAttempts` (the
//   subscription's own, else the bus's; the member that gets an attempt sets its limit); then the
//   event is dead-lettered (logged and kept in `deadLetters`, each with an id to replay it by);
// - `stats()` counts, per event and group, what was published, handled, failed and is still in flight
//   (plain counters bumped on the way: reading them costs nothing to publish or deliver);
// - events travel as JSON, as over a broker: each delivery gets its own parsed copy (a Date arrives
//   as a string), so neither the publisher nor another group can change what a handler sees;
// - nothing is persisted: events published with no subscriber, events waiting for a retry when the
//   bus closes, and everything on a crash are lost (at-most-once across restarts).
import { AsyncResource } from 'node:async_hooks';
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
import type { ReplayResult } from './dead-letters.js';

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
  /** Stable and unique within the bus (`dl-1`, `dl-2`, …): what a replay names it by. */
  readonly id: string;
  readonly envelope: EventEnvelope;
  readonly group: string;
  readonly attempts: number;
  readonly error: unknown;
  /** ISO 8601. */
  readonly time: string;
}

/**
 * What one group did with one event's deliveries, since the bus started.
 *
 * @example
 * const counts: GroupCounts = { group: 'orders', handled: 41, failures: 3, lag: 1, retrying: 1, deadLettered: 1, deadLetters: 0 };
 */
export interface GroupCounts {
  readonly group: string;
  /** Deliveries its handler took without throwing. */
  readonly handled: number;
  /** Failed attempts (each throw, the last one before dead-lettering included). */
  readonly failures: number;
  /** Deliveries published to the group and not yet handled or dead-lettered: waiting, running or waiting for a retry. */
  readonly lag: number;
  /** Of the lag, deliveries waiting for a retry after a failed attempt. */
  readonly retrying: number;
  /** Deliveries it gave up on, ever (a replayed one stays counted). */
  readonly deadLettered: number;
  /** Its dead letters of this event now (replayed ones no longer counted). */
  readonly deadLetters: number;
}

/**
 * Counts of one event: how often it was published, and per subscribing group (every group that ever
 * subscribed to it, in the order they first did) what became of its deliveries.
 *
 * @example
 * const counts: EventCounts = { event: 'payment.completed', published: 42, groups: [{ group: 'orders', handled: 42, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 }] };
 */
export interface EventCounts {
  readonly event: string;
  /** Publishes of the event, with or without a subscriber. */
  readonly published: number;
  readonly groups: readonly GroupCounts[];
}

/**
 * Why a replay sent nothing back: the group no longer subscribes to an event it was asked to replay
 * (the event would have nowhere to go). Nothing moved; the dead letters stay.
 *
 * @example
 * try { bus.replayDeadLetters('orders', 'all'); } catch (error) { if (error instanceof ReplayRefused) console.log(error.message); }
 */
export class ReplayRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayRefused';
  }
}

export interface MemoryBus extends EventBus {
  /** Events whose handler kept failing (or refused them as unprocessable), oldest first. */
  readonly deadLetters: readonly DeadLetter[];
  /** Resolves when no delivery is pending, running or waiting for a retry. */
  idle(): Promise<void>;
  /**
   * The counts of every event published or subscribed to so far, in the order first seen: a
   * snapshot (later deliveries do not change it).
   *
   * @example
   * const orders = bus.stats().find((e) => e.event === 'payment.completed')?.groups.find((g) => g.group === 'orders');
   */
  stats(): EventCounts[];
  /**
   * Sends dead letters of `group` (the given ids, or all of its) back to that group alone, with their
   * attempts starting again at 1, and removes them from `deadLetters`. Ids the group has no dead letter
   * for are answered in `notFound`. Throws a ReplayRefused, moving nothing, when the group no longer
   * subscribes to one of the events concerned, or the bus is closed.
   *
   * @param group - the consumer group (the subscribing service)
   * @param ids - dead letter ids (`dl-3`), or 'all'
   * @example
   * const { replayed, notFound } = bus.replayDeadLetters('orders', ['dl-1']);
   */
  replayDeadLetters(group: string, ids: readonly string[] | 'all'): ReplayResult;
  /**
   * Calls `listener` with the number of dead letters after each one is added or replayed.
   *
   * @param listener - gets the new total; a throw is logged, never breaks a delivery
   * @returns the unsubscribe
   * @example
   * const stop = bus.onDeadLetters((total) => console.log(`${total} dead letters`));
   */
  onDeadLetters(listener: (total: number) => void): () => void;
}

interface Counts {
  handled: number;
  failures: number;
  lag: number;
  retrying: number;
  deadLettered: number;
  deadLetters: number;
}

interface EventCounters {
  published: number;
  readonly groups: Map<string, Counts>;
}

interface Member {
  /** The subscriber's handler, bound to the async context of its `subscribe` call. */
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
  /** This group's counts for this event, kept beyond the group (they outlive its last unsubscribe). */
  readonly counts: Counts;
}

export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 10;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 1000;
  const logger = options.logger ?? createLogger({ service: 'bus' });

  /** event -> group name -> group. */
  const topics = new Map<string, Map<string, Group>>();
  const deadLetters: DeadLetter[] = [];
  let deadLetterSerial = 0;
  const deadLetterListeners = new Set<(total: number) => void>();
  /** event -> its counters; a Map keeps the order first seen. */
  const counters = new Map<string, EventCounters>();
  const countersOf = (event: string): EventCounters => {
    let found = counters.get(event);
    if (!found) counters.set(event, (found = { published: 0, groups: new Map() }));
    return found;
  };
  const countsOf = (event: string, group: string): Counts => {
    const { groups } = countersOf(event);
    let found = groups.get(group);
    if (!found) groups.set(group, (found = { handled: 0, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 }));
    return found;
  };
  const deadLettersChanged = () => {
    for (const listener of [...deadLetterListeners]) {
      try {
        listener(deadLetters.length);
      } catch (error) {
        logger.error({ err: error }, 'a dead-letter listener failed');
      }
    }
  };
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

  /** Starts delivering to one group, counted in its lag until handled, dead-lettered or dropped. */
  function startDelivery(group: Group, snapshot: string): void {
    group.counts.lag += 1;
    const delivery = deliver(group, snapshot);
    deliveries.add(delivery);
    const settled = () => {
      group.counts.lag -= 1;
      deliveries.delete(delivery);
    };
    delivery.then(settled, settled);
  }

  async function deliver(group: Group, snapshot: string): Promise<void> {
    const envelope = JSON.parse(snapshot) as EventEnvelope;
    const { counts } = group;
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
        counts.handled += 1;
        return;
      } catch (error) {
        counts.failures += 1;
        const unprocessable = error instanceof UnprocessableEvent;
        if (unprocessable || attempt >= member.maxAttempts) {
          deadLetterSerial += 1;
          const id = `dl-${deadLetterSerial}`;
          deadLetters.push({ id, envelope: JSON.parse(snapshot) as EventEnvelope, group: group.name, attempts: attempt, error, time: new Date().toISOString() });
          counts.deadLettered += 1;
          counts.deadLetters += 1;
          logger.error({ ...log, attempts: attempt, deadLetterId: id, err: error }, 'event dead-lettered');
          deadLettersChanged();
          return;
        }
        const delay = Math.min(retryDelayMs * 2 ** (attempt - 1), maxRetryDelayMs);
        logger.warn({ ...log, attempt, retryInMs: delay, err: error }, 'event handler failed; retrying');
        counts.retrying += 1;
        try {
          await sleep(delay);
        } finally {
          counts.retrying -= 1;
        }
      }
    }
  }

  return {
    deadLetters,
    maxAttempts,

    async publish(envelope) {
      if (closed) throw new Error(`cannot publish '${envelope.event}': the event bus is closed`);
      countersOf(envelope.event).published += 1;
      const groups = topics.get(envelope.event);
      if (!groups) {
        logger.debug({ event: envelope.event, eventId: envelope.id }, 'event dropped: no subscriber');
        return;
      }
      // Snapshot now, as a broker would serialize it: later changes by the publisher do not leak in.
      const snapshot = JSON.stringify(envelope);
      for (const group of groups.values()) startDelivery(group, snapshot);
    },

    async subscribe(event, groupName, handler, subscribeOptions?: SubscribeOptions): Promise<BusSubscription> {
      if (closed) throw new Error(`cannot subscribe to '${event}': the event bus is closed`);
      const memberMaxAttempts = subscriptionMaxAttempts(subscribeOptions, maxAttempts);
      let groups = topics.get(event);
      if (!groups) topics.set(event, (groups = new Map()));
      let group = groups.get(groupName);
      if (!group) groups.set(groupName, (group = { name: groupName, members: [], next: 0, counts: countsOf(event, groupName) }));
      const member: Member = { handler: AsyncResource.bind(handler), maxAttempts: memberMaxAttempts, running: new Set() };
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

    stats() {
      return [...counters].map(([event, { published, groups }]) => ({
        event,
        published,
        groups: [...groups].map(([group, counts]) => ({ group, ...counts })),
      }));
    },

    replayDeadLetters(groupName, ids) {
      if (closed) throw new ReplayRefused(`cannot replay dead letters of ${groupName}: the event bus is closed`);
      const notFound: string[] = [];
      let chosen: DeadLetter[];
      if (ids === 'all') {
        chosen = deadLetters.filter((letter) => letter.group === groupName);
      } else {
        chosen = [];
        for (const id of new Set(ids)) {
          const letter = deadLetters.find((l) => l.id === id && l.group === groupName);
          if (letter) chosen.push(letter);
          else notFound.push(id);
        }
      }
      // Checked before anything moves: a group that left an event would drop its replayed letters.
      const targets = chosen.map((letter) => {
        const group = topics.get(letter.envelope.event)?.get(groupName);
        if (!group) {
          throw new ReplayRefused(`${groupName} does not subscribe to ${letter.envelope.event} (any more): start the ${groupName} service with its subscription, then replay`);
        }
        return group;
      });
      chosen.forEach((letter, i) => {
        deadLetters.splice(deadLetters.indexOf(letter), 1);
        const group = targets[i]!;
        group.counts.deadLetters -= 1;
        startDelivery(group, JSON.stringify(letter.envelope));
        logger.info({ event: letter.envelope.event, eventId: letter.envelope.id, group: groupName, deadLetterId: letter.id }, 'dead letter replayed');
      });
      if (chosen.length > 0) deadLettersChanged();
      return { replayed: chosen.length, notFound };
    },

    onDeadLetters(listener) {
      deadLetterListeners.add(listener);
      return () => void deadLetterListeners.delete(listener);
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
