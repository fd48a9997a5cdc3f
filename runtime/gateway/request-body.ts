// A small request body read whole before it is forwarded, so that a retry can send it again
// (retry.ts, REPLAYABLE_BODY_BYTES). The body limit and the body-idle 408 (exchange.ts) still apply:
// the limit was checked against Content-Length, and a stalled body never calls back.
import type { IncomingMessage } from 'node:http';

/**
 * Reads `req`'s body of `length` bytes (its Content-Length) into one Buffer and calls `done` with
 * it once complete. Never called when the request ends early (the client left, or the body-idle
 * timeout cut it): the exchange answers or logs those itself.
 *
 * @param req - the client's request, its body not read yet
 * @param length - its Content-Length (node:http delivers exactly that many bytes)
 * @param done - receives the body
 * @example
 * readBody(req, 42, (body) => pool.dispatch({ path, method, headers, body }, handler));
 */
export function readBody(req: IncomingMessage, length: number, done: (body: Buffer) => void): void {
  const body = Buffer.allocUnsafe(length);
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    // node:http never delivers more than Content-Length; the bound keeps a bug from overflowing.
    received += chunk.copy(body, received);
  });
  req.once('end', () => {
    if (received === length) done(body);
  });
  // An aborted request errors its stream; the exchange sees the connection close.
  req.on('error', ignore);
}

function ignore(): void {}
