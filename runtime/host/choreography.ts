// A service's part in choreographed sagas, as its host runs it (runtime/saga/choreography): as a
// participant, its step hooks wrapped to run as steps and its compensations subscribed; as an owner,
// the log of its sagas kept from their `starts` events and the participants' reports. start.ts
// wraps the publisher first (a step's outcome is the event its hook published), then subscribes
// these after the service's own event hooks, and closes them with them.
import type { Logger } from 'pino';
import type { EventContextFields } from '../bus/index.js';
import type { BusSubscription, EventBus } from '../bus/types.js';
import { createParticipant } from '../saga/choreography/participant.js';
import { followChoreographies, type ChoreographyOwner, type OwnerStats } from '../saga/choreography/owner.js';
import { createPublishRecorder, type PublishRecorder } from '../saga/choreography/published.js';
import { DEFAULT_COMPENSATION_ATTEMPTS } from '../saga/options.js';
import type { ContextFactory, ServicePublisher } from '../service/context.js';
import type { Outbox } from '../storage/outbox/index.js';
import type { Database } from '../storage/types.js';
import type { Validators } from '../validation/types.js';
import type { SagaTiming } from './sagas.js';
import type { ServiceHostOptions } from './types.js';

/**
 * The recorder a participant's publisher is watched by; undefined for a service that takes no step
 * (its publisher is left as it is: no cost).
 *
 * @param options - the service's host options
 * @example
 * const recorder = publishRecorderFor(options);
 * const publisher = recorder ? recorder.watch(plain) : plain;
 */
export function publishRecorderFor(options: ServiceHostOptions): PublishRecorder | undefined {
  return (options.definition.choreographies ?? []).length > 0 ? createPublishRecorder() : undefined;
}

/**
 * What prepareChoreography needs of the service being started.
 *
 * @example
 * const options: ChoreographyHostOptions = { host, db, outbox, bus, validators, contextFor, runOnce, recorder, publisher, logger, timing };
 */
export interface ChoreographyHostOptions {
  readonly host: ServiceHostOptions;
  readonly db: Database | undefined;
  readonly outbox: Outbox | null;
  readonly bus: EventBus;
  readonly validators: Validators;
  readonly contextFor: ContextFactory;
  readonly runOnce: EventContextFields['runOnce'];
  /** From publishRecorderFor: set for a participant. */
  readonly recorder: PublishRecorder | undefined;
  /** The service's (watched) publisher: the owner's final events go through it. */
  readonly publisher: ServicePublisher;
  readonly logger: Logger;
  readonly timing: SagaTiming;
}

/**
 * A service's choreography, prepared: the subscriptions to give subscribeAll, then `start()`.
 *
 * @example
 * const choreography = await prepareChoreography(options);
 * await subscribeAll({ ...rest, subscriptions: choreography.subscriptions });
 * await choreography.start();
 */
export interface ServiceChoreography {
  /** The hook file's `subscriptions`, a participant's step hooks wrapped to run as steps. */
  readonly subscriptions: object | undefined;
  /** Subscribes the compensations (a participant) and the saga log's sources (an owner). */
  start(): Promise<void>;
  /** The owner's counters since start; undefined when the service owns no choreographed saga. */
  ownerStats(): OwnerStats | undefined;
  /** Unsubscribes them (handlers running finish first). */
  close(): Promise<void>;
}

/**
 * Prepares the service's choreography (creating the participants' table when it takes steps). A
 * service with neither role gets its subscriptions back untouched and a start that does nothing.
 *
 * @param options - see ChoreographyHostOptions
 * @throws StartupError when a step's compensation is missing from the hook file
 * @example
 * const choreography = await prepareChoreography({ host: options, db, outbox, bus, validators, contextFor, runOnce, recorder, publisher, logger, timing });
 */
export async function prepareChoreography(options: ChoreographyHostOptions): Promise<ServiceChoreography> {
  const { host, db, outbox, recorder } = options;
  const { definition } = host;
  // checkSagasHaveStorage refused a participant or owner without storage before this.
  const participant = recorder && db && outbox
    ? await createParticipant({
        definition,
        subscriptions: host.subscriptions,
        compensations: host.compensations,
        db,
        outbox,
        bus: options.bus,
        events: host.events,
        validators: options.validators,
        contextFor: options.contextFor,
        runOnce: options.runOnce,
        recorder,
        logger: options.logger,
        compensationAttempts: options.timing.compensationAttempts ?? DEFAULT_COMPENSATION_ATTEMPTS,
      })
    : undefined;
  let compensating: BusSubscription[] = [];
  let owner: ChoreographyOwner | undefined;
  return {
    subscriptions: participant?.subscriptions ?? host.subscriptions,
    async start() {
      compensating = (await participant?.subscribeCompensations()) ?? [];
      if (!db) return;
      owner = await followChoreographies({ definition, db, bus: options.bus, events: host.events, validators: options.validators, publisher: options.publisher, logger: options.logger });
    },
    ownerStats: () => owner?.stats(),
    async close() {
      await Promise.allSettled([...compensating.splice(0).map((s) => s.unsubscribe()), owner?.close()]);
    },
  };
}
