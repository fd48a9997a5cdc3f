// Sagas (issue #12): the contract between the generated code (generated/<service>/sagas.ts), the
// orchestrator that drives them, the durable log that records every transition before it acts, and
// whatever shows their state (the service's /sagas routes, `meshspec sagas`, the dashboard).

/**
 * Where a saga is. `running` and `compensating` are in flight (resumed after a crash); the other
 * three are final, except that a person may retry a `stuck` saga.
 * - `completed`: every step succeeded;
 * - `compensated`: a step failed and every step that had (or may have) taken effect was undone;
 * - `stuck`: a compensation kept failing past its attempts: listed for a person to resolve.
 *
 * @example
 * const inFlight: SagaState[] = ['running', 'compensating'];
 */
export type SagaState = (typeof SAGA_STATES)[number];

/**
 * Every saga state, in the order a saga goes through them: what the routes, the metrics, the CLI and
 * the dashboard check a `state` against and list.
 *
 * @example
 * SAGA_STATES.includes(state as SagaState);
 */
export const SAGA_STATES = ['running', 'compensating', 'completed', 'compensated', 'stuck'] as const;

/**
 * What a step's input mapping may read: the saga's id and input, and the outputs of the steps that
 * succeeded so far (by step name; a step without output maps to null).
 *
 * @example
 * const view: SagaView = { id: 'b0c5...', input: { userId: 'u-1', items: [] }, outputs: { validateUser: { id: 'u-1' } } };
 */
export interface SagaView {
  readonly id: string;
  readonly input: unknown;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * How one attempt of a step (or of its compensation) must call its endpoint: through the generated
 * client, so the call's resilience policy applies, with these options.
 *
 * @example
 * await clients.inventory.reserve(input, { idempotencyKey: call.idempotencyKey, deadline: call.deadline, requestId: call.requestId });
 */
export interface StepCall {
  /** `saga:<saga id>:<step>` for the step, `saga:<saga id>:<step>:compensate` for its compensation: the same on every attempt, so a step repeated after a crash has one effect. */
  readonly idempotencyKey: string;
  /** Epoch ms by which this attempt must be answered (the step's timeout from the attempt's start). */
  readonly deadline: number;
  /** The saga's id: every log line and call of the saga carries it. */
  readonly requestId: string;
}

/**
 * One call of a step or compensation: maps the saga's view to the endpoint's input and calls it.
 * Resolves with the endpoint's output (JSON; undefined for none). Rejects with what the client
 * rejected with: a declared error or another 4xx is an answer (the step failed, it had no effect);
 * anything else (503, a timeout, a 500) leaves the outcome unknown, and the orchestrator retries the
 * same call with the same key.
 *
 * @example
 * const run: StepRun = (saga, call) => clients.users.getUser({ id: (saga.input as PlaceOrder).userId }, call);
 */
export type StepRun = (saga: SagaView, call: StepCall) => Promise<unknown>;

/**
 * One step of an orchestrated saga, as the generated code describes it.
 *
 * @example
 * const step: SagaStep = {
 *   name: 'reserveInventory',
 *   endpoint: 'inventory.reserve',
 *   run: (saga, call) => clients.inventory.reserve({ orderId: saga.id, items: ... }, call),
 *   compensation: { endpoint: 'inventory.releaseReservation', run: (saga, call) => clients.inventory.releaseReservation({ orderId: saga.id }, call) },
 *   timeoutMs: 2000,
 * };
 */
export interface SagaStep {
  /** Unique within the saga. */
  readonly name: string;
  /** `<service>.<endpoint>` it calls: for the log, the routes and diagrams. */
  readonly endpoint: string;
  readonly run: StepRun;
  /** Undoes the step. Its input comes from what was known before the step ran (never the step's own output), so it can also undo a step whose answer was lost. */
  readonly compensation?: { readonly endpoint: string; readonly run: StepRun };
  /** One attempt's timeout, ms. Default: the orchestrator's `stepTimeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * An orchestrated saga: its steps in order, and how its output is made from their outputs.
 *
 * @example
 * const placeOrder: SagaDefinition = { name: 'placeOrder', steps: [validateUser, reserveInventory], output: (saga) => saga.outputs['createOrder'] };
 */
export interface SagaDefinition {
  /** Unique in the mesh: its events are `<name>.completed` and `<name>.failed`. */
  readonly name: string;
  readonly steps: readonly SagaStep[];
  /** The completed saga's output. Default: none (null). */
  readonly output?: (saga: SagaView) => unknown;
}

/**
 * The log's record of one saga, as the routes and the CLI show it (times in ms since the epoch).
 *
 * @example
 * const record: SagaRecord = await log.get(id);
 * if (record?.state === 'stuck') console.log(record.failure);
 */
export interface SagaRecord {
  readonly id: string;
  /** The saga's name. */
  readonly saga: string;
  readonly state: SagaState;
  readonly input: unknown;
  /** Set once completed. */
  readonly output?: unknown;
  /** Why it is compensating, compensated or stuck: the step that failed and its error. */
  readonly failure?: { readonly step: string; readonly code: string; readonly message: string };
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set once completed, compensated or stuck. */
  readonly finishedAt?: number;
  /** Every step and compensation attempted so far, in the order they started. */
  readonly steps: readonly StepRecord[];
}

/**
 * The log's record of one step or compensation of a saga.
 *
 * @example
 * const reserve: StepRecord = { step: 'reserveInventory', phase: 'forward', outcome: 'succeeded', attempts: 1, startedAt, finishedAt };
 */
export interface StepRecord {
  readonly step: string;
  readonly phase: 'forward' | 'compensate';
  /** `started`: written before the call, still in flight (or its process crashed: it is called again). */
  readonly outcome: 'started' | 'succeeded' | 'failed';
  /** Calls made so far (retries of an unknown outcome included). */
  readonly attempts: number;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly output?: unknown;
  /** The last error, when the last attempt failed. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Why a saga was compensated or is stuck: the step that failed and the error it answered (a declared
 * code such as `OutOfStock`, or the runtime's: `Timeout`, `Unavailable`, ...).
 *
 * @example
 * const failure: SagaFailure = { step: 'reserveInventory', code: 'OutOfStock', message: 'not enough sku-keyboard' };
 */
export interface SagaFailure {
  readonly step: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What an endpoint that starts a saga, or answers its status, returns (the generated `<Saga>Status`
 * type has these fields, with `output` typed as the saga's output). Never the saga's input: it may
 * hold what a caller should not read back (a card token).
 *
 * @example
 * const status: SagaStatus = { sagaId: '0b6f...', state: 'running' };
 */
export interface SagaStatus {
  readonly sagaId: string;
  readonly state: SagaState;
  /** Set once completed, when the saga has an output. */
  readonly output?: unknown;
  /** Set once compensating, compensated or stuck. */
  readonly failure?: SagaFailure;
}
