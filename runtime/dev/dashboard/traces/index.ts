// The dashboard's traces: a bounded in-memory store of the dev stack's spans and the log lines
// written inside them (store.ts), read by the data API's trace routes; teeLogLines feeds it the
// stack's raw log lines.
export { createTraceStore, type TraceStoreOptions } from './store.js';
export { parseLogLine, type ParsedLog } from './logs.js';
export { teeLogLines } from './log-tee.js';
