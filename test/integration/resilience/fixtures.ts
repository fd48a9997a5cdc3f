// Hand-written stand-ins for generated code in the resilience tests: a `things` service the client
// calls (its endpoints and a definition), a client built by the host's transport factory over real
// misbehaving servers, and a logger whose lines the tests read.
import { pino, type Logger } from 'pino';
import { createTransportFactory, type TransportFactory } from '../../../runtime/host/transports.js';
import type { ResiliencePolicy } from '../../../runtime/resilience/policy.js';
import type { CallDescriptor, EndpointDescriptor, ServiceDefinition } from '../../../runtime/service/definition.js';
import type { ClientTransport } from '../../../runtime/transport/types.js';
import { testEndpoint, type EndpointSketch } from '../../support/endpoint.js';

const endpoint = (e: EndpointSketch): EndpointDescriptor => testEndpoint(e, { output: { type: 'Thing', list: false }, grpcRequest: null, grpcResponse: 'thing' });

export const things = {
  getThing: endpoint({ name: 'getThing', method: 'GET', path: '/things/{id}', input: 'GetThing' }),
  createThing: endpoint({ name: 'createThing', method: 'POST', path: '/things', input: 'CreateThing', inputSource: 'body', successStatus: 201 }),
  putThing: endpoint({ name: 'putThing', method: 'POST', path: '/things/put', input: 'CreateThing', inputSource: 'body', idempotent: true }),
};

export const thingsDefinition: ServiceDefinition = {
  mesh: 'test',
  name: 'things',
  version: '1.0.0',
  ports: { http: 1, grpc: null },
  endpoints: Object.values(things),
  subscriptions: [],
  publishes: [],
  calls: [],
  proto: null,
};

/** Retries at once (1-5 ms waits), with a budget that never runs out within a test. */
export const FAST: ResiliencePolicy = {
  timeoutMs: 5_000,
  retry: { attempts: 3, initialMs: 1, maxMs: 5, jitter: 'full', budget: { ratio: 1, minPerSecond: 1_000, windowMs: 1_000 } },
};

export interface LogLine {
  level: number;
  msg: string;
  dependency?: string;
  instance?: string;
  reason?: string;
  [key: string]: unknown;
}

/** A logger at debug whose lines land in `lines`. */
export function captureLogger(lines: LogLine[]): Logger {
  return pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
}

export interface TestClient {
  readonly transport: ClientTransport;
  readonly factory: TransportFactory;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/**
 * A client of `things` as a service's generated client gets it: through the host's transport factory,
 * over the instances at `origins` (a discovery override list), with the call descriptor's settings.
 */
export function thingsClient(origins: string[], call: Partial<Omit<CallDescriptor, 'service' | 'transport'>> = {}): TestClient {
  const logs: LogLine[] = [];
  const factory = createTransportFactory({
    callees: { things: thingsDefinition },
    calls: [{ service: 'things', transport: 'http', ...call }],
    schemas: { $id: 'meshspec:test', $defs: {} },
    logger: captureLogger(logs),
    discovery: { http: { things: origins.join(',') } },
    env: {},
  });
  return { transport: factory.transportFor('things', 'http'), factory, logs, close: () => factory.close() };
}

/** The thrown error of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; status: number; message: string };
  }
  throw new Error('expected the call to fail');
}

/** Waits until `condition` holds, polling (no assertion on how long it took). */
export async function until(condition: () => boolean, what: string, patienceMs = 5_000): Promise<void> {
  for (const end = Date.now() + patienceMs; Date.now() < end; await new Promise((r) => setTimeout(r, 5))) {
    if (condition()) return;
  }
  throw new Error(`gave up waiting: ${what}`);
}
