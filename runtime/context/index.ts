// What a hook receives besides its input. Transport-neutral on purpose: no req/res, so the same
// hook serves HTTP, gRPC and in-process calls.
import type { Logger } from 'pino';

export type { Logger };

/** Who is calling: a user (from gateway auth) or another service. */
export interface Caller {
  /** User id or `service:<name>`. */
  readonly subject: string;
  readonly roles?: readonly string[];
  /** Set when the immediate caller is another service of the mesh. */
  readonly service?: string;
}

/** Typed publish for a map of event name -> payload type. */
export type Publish<Events> = <K extends keyof Events & string>(event: K, payload: Events[K]) => Promise<void>;

export interface HandlerContext<Clients = Record<string, never>, Events = Record<string, never>> {
  readonly service: string;
  /** Endpoint or event-handler name being served. */
  readonly operation: string;
  readonly requestId: string;
  readonly logger: Logger;
  readonly caller: Caller | null;
  /** Epoch milliseconds after which the caller no longer waits; null when unbounded. */
  readonly deadline: number | null;
  /** Aborted when the caller goes away or the deadline passes. */
  readonly signal: AbortSignal;
  /** Typed clients of the services this one calls, already carrying request id and deadline. */
  readonly clients: Clients;
  readonly publish: Publish<Events>;
}
