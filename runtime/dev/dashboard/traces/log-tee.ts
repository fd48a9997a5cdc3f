// The dev stack's log destination with the trace store listening in: each raw pino JSON line goes
// to `record` (TraceStore.recordLogLine) before the next destination formats it for the terminal.
import type { DestinationStream } from 'pino';
import { MAX_LINE } from './logs.js';

/**
 * A pino destination that hands every complete line (without its newline) to `record`, then writes
 * the chunk on to `next` unchanged. A failing `record` never stops the line reaching `next`; a
 * partial line waits for its end (and is dropped once longer than parseLogLine reads).
 *
 * @param next - where the lines go on (the stack's prefixed destination)
 * @param record - what listens in (`traces.recordLogLine`); undefined: `next` itself is returned
 * @example
 * const destination = teeLogLines(createPrefixedDestination(process.stdout), traces.recordLogLine);
 * createLogger({ service: 'users', destination });
 */
export function teeLogLines(next: DestinationStream, record: ((line: string) => void) | undefined): DestinationStream {
  if (record === undefined) return next;
  let pending = '';
  return {
    write(chunk: string) {
      let text = pending + chunk;
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        const line = text.slice(0, newline);
        if (line !== '') listen(record, line);
        text = text.slice(newline + 1);
        newline = text.indexOf('\n');
      }
      pending = text.length > MAX_LINE ? '' : text;
      next.write(chunk);
    },
  };
}

function listen(record: (line: string) => void, line: string): void {
  try {
    record(line);
  } catch {
    // The terminal still gets the line: the dashboard's copy is the one lost.
  }
}
