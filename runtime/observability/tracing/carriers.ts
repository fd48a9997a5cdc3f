// Where W3C trace context travels: HTTP headers (a node header object, or the plain record the
// HTTP client builds), gRPC metadata, and the event envelope's `traceparent`. The registered
// propagator (W3C by default) reads and writes through these.
import type { Metadata } from '@grpc/grpc-js';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** Reads a node header object (`req.headers`): lower-case names, repeated headers as arrays. */
export const HEADER_GETTER: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** Writes into the plain header record an outgoing HTTP call sends. */
export const HEADER_SETTER: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** Reads gRPC metadata (string values only). */
export const METADATA_GETTER: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const values = carrier.get(key);
    if (values.length === 0) return undefined;
    return values.length === 1 ? String(values[0]) : values.map(String);
  },
};

/** Writes gRPC metadata. */
export const METADATA_SETTER: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** What an event carries of its trace: the envelope's `traceparent`, and `tracestate` beside it. */
export interface EnvelopeTraceContext {
  traceparent?: string;
  tracestate?: string;
}

/** Reads the trace context of an event envelope. */
export const ENVELOPE_GETTER: TextMapGetter<EnvelopeTraceContext> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (carrier, key) => (key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : undefined),
};

/** Writes the trace context of an event envelope (only the two W3C fields are kept). */
export const ENVELOPE_SETTER: TextMapSetter<EnvelopeTraceContext> = {
  set: (carrier, key, value) => {
    if (key === 'traceparent') carrier.traceparent = value;
    else if (key === 'tracestate') carrier.tracestate = value;
  },
};
