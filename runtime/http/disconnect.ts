// A request's "the client went away" signal, made only when a hook asks for it (ctx.signal, its
// clients, or a deadline to follow): an AbortController and a close listener cost microseconds per
// request, and most hooks never look.
import type { ServerResponse } from 'node:http';
import type { DeferredField } from '../service/context.js';

/**
 * What makes the signal that aborts when the client disconnects before the response is complete.
 *
 * @example
 * const signal = new DisconnectSignal(res);
 * await invoke(endpoint, input, { requestId, deadline: null, caller: null, signal });
 * signal.make().aborted; // true once the client left before the answer was sent
 */
export class DisconnectSignal implements DeferredField<AbortSignal> {
  readonly #res: ServerResponse;
  #signal: AbortSignal | undefined;

  /** @param res - the response watched */
  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** The signal, made (and the response watched) on the first call. */
  make(): AbortSignal {
    if (this.#signal) return this.#signal;
    const controller = new AbortController();
    this.#signal = controller.signal;
    const res = this.#res;
    // A response closes once, finished or not; already closed, it only says whether the client left.
    if (res.destroyed) {
      if (!res.writableFinished) controller.abort();
    } else {
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
    }
    return this.#signal;
  }
}
