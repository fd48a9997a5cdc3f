// Where a process's JSON log lines go by default: standard output. Lines logged during one turn of
// the event loop are written together at the end of it (one write instead of one per line: a
// request's access log line would otherwise cost a system call), and synchronously when the process
// exits, so a line logged just before an exit or a crash is not lost. Once the reader is gone, lines
// are dropped: pino's own default (sonic-boom 4) retries a write that failed with EPIPE forever, so a
// service whose log reader died (its supervisor SIGKILLed, `| head` done) would spin instead of
// shutting down.
import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

/** How long a write waits in all for a full pipe (EAGAIN) before the lines are dropped, ms. */
const MAX_BUSY_WAIT_MS = 1000;
/** Pending text past which lines are written at once rather than at the end of the loop turn. */
const FLUSH_AT_CHARS = 64 * 1024;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A pino destination writing to `fd` with `writeSync`: the lines of one event-loop turn in one
 * write (at the end of the turn, at 64 KiB, or at exit). A full non-blocking pipe is waited for (up
 * to a second per write); a reader that is gone (EPIPE) or any other write error turns the
 * destination off: later lines are dropped, never retried.
 *
 * @param fd the file descriptor; default 1 (stdout)
 * @example
 * const logger = pino({ level: 'info' }, createStdoutDestination());
 */
export function createStdoutDestination(fd = 1): DestinationStream & { readonly broken: boolean; flush(): void } {
  let broken = false;
  let pending = '';
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (pending === '' || broken) return;
    let bytes = Buffer.from(pending);
    pending = '';
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
  }
  process.once('exit', flush);

  return {
    get broken() {
      return broken;
    },
    write(chunk: string) {
      if (broken) return;
      pending += chunk;
      if (pending.length >= FLUSH_AT_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
