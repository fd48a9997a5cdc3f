// Three real services for the tests that need a callee with hooks: `ledger` (a non-idempotent
// `charge` that counts its effects and declares `Declined`, and a `hold` that waits until its call
// is given up), `middle` (calls ledger.hold, now or once its own deadline passed) and `front`
// (calls middle). Hand-written stand-ins for generated definitions, hosts and clients.
import { createMemoryBus } from '../../../runtime/bus/memory.js';
import { MeshError } from '../../../runtime/errors/index.js';
import { startService } from '../../../runtime/host/start.js';
import type { HostSettings, RunningService, ServiceHostOptions, TransportFor } from '../../../runtime/host/types.js';
import type { CallDescriptor, EndpointDescriptor, ServiceDefinition } from '../../../runtime/service/definition.js';
import type { CallOptions } from '../../../runtime/transport/types.js';
import type { SchemaRegistry } from '../../../runtime/validation/types.js';
import { captureLogger, type LogLine } from './fixtures.js';
import { testEndpoint, type EndpointSketch } from '../../support/endpoint.js';

const record = (properties: Record<string, object>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

export const schemas: SchemaRegistry = {
  $id: 'meshspec:resilience-test',
  $defs: {
    ChargeInput: record({ amount: { type: 'integer', minimum: 1 } }),
    Charge: record({ id: { type: 'integer' }, amount: { type: 'integer' } }),
    Empty: record({}),
    Anything: { type: 'object' },
  },
};

const endpoint = (e: EndpointSketch): EndpointDescriptor => testEndpoint(e, { output: { type: 'Anything', list: false }, grpcRequest: null, grpcResponse: null });

export const ledgerEndpoints = {
  charge: endpoint({
    name: 'charge',
    method: 'POST',
    path: '/charges',
    input: 'ChargeInput',
    inputSource: 'body',
    successStatus: 201,
    output: { type: 'Charge', list: false },
    errors: { Declined: { status: 409, grpc: 'FAILED_PRECONDITION' } },
  }),
  hold: endpoint({ name: 'hold', method: 'GET', path: '/hold', input: 'Empty' }),
};

const middleEndpoints = {
  relay: endpoint({ name: 'relay', method: 'GET', path: '/relay', input: 'Empty' }),
  relayLate: endpoint({ name: 'relayLate', method: 'GET', path: '/relay-late', input: 'Empty' }),
};

export const frontEndpoints = {
  start: endpoint({ name: 'start', method: 'GET', path: '/start', input: 'Empty' }),
  startLate: endpoint({ name: 'startLate', method: 'GET', path: '/start-late', input: 'Empty' }),
};

const definition = (name: string, endpoints: Record<string, EndpointDescriptor>, calls: CallDescriptor[]): ServiceDefinition => ({
  mesh: 'test',
  name,
  version: '1.0.0',
  ports: { http: 1, grpc: null },
  endpoints: Object.values(endpoints),
  subscriptions: [],
  publishes: [],
  calls,
  proto: null,
});

export const ledgerDefinition = definition('ledger', ledgerEndpoints, []);
const middleDefinition = definition('middle', middleEndpoints, [{ service: 'ledger', transport: 'http' }]);
const frontDefinition = definition('front', frontEndpoints, [{ service: 'middle', transport: 'http' }]);

class Declined extends MeshError {
  constructor(amount: number) {
    super('Declined', `a charge of ${amount} is over the limit`, 409);
  }
}

/** What the ledger saw. */
export interface LedgerState {
  /** Charges actually made (hook runs that got past validation). */
  effects: number;
  /** The limit over which a charge is declined. */
  limit: number;
  /** `hold` calls started, and those whose call was given up (signal aborted) while holding. */
  holds: { started: number; cut: number; deadlines: (number | null)[] };
}

interface Ctx {
  deadline: number | null;
  signal: AbortSignal;
  clients: Record<string, (endpoint: EndpointDescriptor) => Promise<unknown>>;
}

/** Binds each callee's transport to the call's options, as a generated createClients does. */
const clientsOf = (callee: string) => (transportFor: TransportFor, call: CallOptions) => ({
  [callee]: (e: EndpointDescriptor) => transportFor(callee, 'http').call(e, {}, call),
});

export interface Mesh {
  ledger: RunningService;
  middle: RunningService;
  front: RunningService;
  state: LedgerState;
  /** What middle's late call to ledger failed with (code and whether it never started). */
  late: { code: string; beforeStart: unknown }[];
  logs: LogLine[];
  close(): Promise<void>;
}

const settings = (logs: LogLine[], overrides: Partial<HostSettings> = {}): HostSettings => {
  const logger = captureLogger(logs);
  return { bodyLimitBytes: 64 * 1024, shutdownGraceMs: 500, httpPort: 0, host: '127.0.0.1', bus: createMemoryBus({ logger, retryDelayMs: 1 }), logger, ...overrides };
};

/** Starts ledger, middle and front on free ports, each finding the next through a discovery override. */
export async function startMesh(): Promise<Mesh> {
  const state: LedgerState = { effects: 0, limit: 100, holds: { started: 0, cut: 0, deadlines: [] } };
  const late: Mesh['late'] = [];
  const logs: LogLine[] = [];
  const ledgerHost: ServiceHostOptions = {
    definition: ledgerDefinition,
    schemas,
    events: {},
    callees: {},
    createClients: () => ({}),
    handlers: {
      async charge(input: { amount: number }) {
        if (input.amount > state.limit) throw new Declined(input.amount);
        state.effects++;
        return { id: state.effects, amount: input.amount };
      },
      async hold(_input: unknown, ctx: Ctx) {
        state.holds.started++;
        state.holds.deadlines.push(ctx.deadline);
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        state.holds.cut++;
        return {};
      },
    },
  };
  const middleHost: ServiceHostOptions = {
    definition: middleDefinition,
    schemas,
    events: {},
    callees: { ledger: ledgerDefinition },
    createClients: clientsOf('ledger'),
    handlers: {
      async relay(_input: unknown, ctx: Ctx) {
        return ctx.clients['ledger']!(ledgerEndpoints.hold);
      },
      async relayLate(_input: unknown, ctx: Ctx) {
        // Waits out its own deadline, then calls: the call must not start.
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        try {
          return await ctx.clients['ledger']!(ledgerEndpoints.hold);
        } catch (err) {
          late.push({ code: (err as MeshError).code, beforeStart: (err as { beforeStart?: unknown }).beforeStart });
          throw err;
        }
      },
    },
  };
  const frontHost: ServiceHostOptions = {
    definition: frontDefinition,
    schemas,
    events: {},
    callees: { middle: middleDefinition },
    createClients: clientsOf('middle'),
    handlers: {
      async start(_input: unknown, ctx: Ctx) {
        return ctx.clients['middle']!(middleEndpoints.relay);
      },
      async startLate(_input: unknown, ctx: Ctx) {
        return ctx.clients['middle']!(middleEndpoints.relayLate);
      },
    },
  };
  const ledger = await startService(ledgerHost, settings(logs));
  const middle = await startService(middleHost, settings(logs, { discovery: { http: { ledger: `http://127.0.0.1:${ledger.httpPort}` } } }));
  const front = await startService(frontHost, settings(logs, { discovery: { http: { middle: `http://127.0.0.1:${middle.httpPort}` } } }));
  return {
    ledger,
    middle,
    front,
    state,
    late,
    logs,
    close: async () => {
      await front.close();
      await middle.close();
      await ledger.close();
    },
  };
}
