// Where a process's JSON log lines go by default: standard output, written synchronously (a line
// logged just before an exit is not lost), and dropped once the reader is gone. pino's own default
// (sonic-boom 4) retries a write that failed with EPIPE forever, so a service whose log reader died
// (its supervisor SIGKILLed, `| head` done) would spin instead of shutting down.
import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

/** How long a write waits in all for a full pipe (EAGAIN) before the line is dropped, ms. */
const MAX_BUSY_WAIT_MS = 1000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A pino destination writing each line to `fd` with `writeSync`. A full non-blocking pipe is
 * waited for (up to a second per line); a reader that is gone (EPIPE) or any other write error
 * turns the destination off: later lines are dropped, never retried.
 *
 * @param fd the file descriptor; default 1 (stdout)
 * @example
 * const logger = pino({ level: 'info' }, createStdoutDestination());
 */
export function createStdoutDestination(fd = 1): DestinationStream & { readonly broken: boolean } {
  let broken = false;
  return {
    get broken() {
      return broken;
    },
    write(chunk: string) {
      if (broken) return;
      let bytes = Buffer.from(chunk);
      let waited = 0;
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(fd, bytes));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if ((code === 'EAGAIN' || code === 'EBUSY') && waited < MAX_BUSY_WAIT_MS) {
            Atomics.wait(pause, 0, 0, 1);
            waited += 1;
            continue;
          }
          // EPIPE (nobody reads any more), or a wait past the bound: stop writing rather than spin or block.
          broken = code !== 'EAGAIN' && code !== 'EBUSY';
          return;
        }
      }
    },
  };
}
