// Answering a request whose body is not (or not all) read: a 413 for a body over the limit, a 415, a
// body that does not decode. Closing the connection right after such an answer resets it while the
// client is still uploading, and many clients then never read the answer. So the answer says
// `Connection: close`, the connection half-closes once it is written, and the rest of the body is
// read and dropped, within bounds, before the socket goes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { MeshError } from '../errors/index.js';
import { sendError } from './respond.js';

/** How long the rest of a refused body is read and dropped before the connection is closed. */
export const LINGER_MS = 5000;
/** How much of a refused body is read and dropped, in multiples of the body limit. */
export const LINGER_LIMIT_FACTOR = 4;

/**
 * Bounds on reading the rest of a refused body.
 *
 * @example
 * const limits: LingerLimits = { maxBytes: 4 * 1_048_576, maxMs: 5000 };
 */
export interface LingerLimits {
  /** Bytes of body read and dropped after the answer, at most. */
  readonly maxBytes: number;
  /** Milliseconds the connection stays open after the answer, at most. */
  readonly maxMs: number;
}

/**
 * The linger bounds for a service's body limit: LINGER_LIMIT_FACTOR times the limit, LINGER_MS.
 *
 * @param bodyLimitBytes - the service's body limit
 * @example
 * lingerLimitsFor(1_048_576); // { maxBytes: 4_194_304, maxMs: 5000 }
 */
export function lingerLimitsFor(bodyLimitBytes: number): LingerLimits {
  return { maxBytes: LINGER_LIMIT_FACTOR * bodyLimitBytes, maxMs: LINGER_MS };
}

/**
 * Answers `error` for a request whose body may be unread. A body already read is answered as usual;
 * otherwise with `Connection: close`, the connection then lingering as the file header says. A
 * library's reason behind the error (its `cause`) is logged, never sent.
 *
 * @param req - the request
 * @param res - its response, headers not sent
 * @param error - the refusal (413, 415, 400)
 * @param requestId - for the body and the log
 * @param limits - see LingerLimits
 * @param logger - logs the cause at info level, when there is one
 * @example
 * answerUnreadBody(req, res, new PayloadTooLarge('too large'), requestId, lingerLimitsFor(limit), logger);
 */
export function answerUnreadBody(req: IncomingMessage, res: ServerResponse, error: MeshError, requestId: string, limits: LingerLimits, logger: Logger): void {
  if (error.cause !== undefined) logger.info({ requestId, code: error.code, err: error.cause }, `request body refused: ${error.message}`);
  if (!req.complete && !res.headersSent) {
    res.setHeader('connection', 'close');
    lingerOnClose(req, limits);
  }
  sendError(res, error, requestId);
}

type LingeringSocket = Socket & { destroySoon?: () => void };

/**
 * node:http closes a `Connection: close` socket with destroySoon() once the response is written;
 * this socket's one is replaced by a half-close (our FIN after the answer) that keeps reading and
 * dropping what the client still sends until it closes its side, `limits.maxBytes` more arrive or
 * `limits.maxMs` pass. (Once the answer is out the parser no longer feeds the request: the socket
 * itself is read.) Call it before the response ends, and send that response with `Connection: close`.
 *
 * @param req - the request whose body is not (all) read
 * @param limits - see LingerLimits
 * @example
 * res.setHeader('connection', 'close');
 * lingerOnClose(req, lingerLimitsFor(bodyLimitBytes));
 * res.end(answer);
 */
export function lingerOnClose(req: IncomingMessage, limits: LingerLimits): void {
  const socket = req.socket as LingeringSocket;
  if (typeof socket.destroySoon !== 'function') return;
  socket.destroySoon = () => {
    socket.end();
    let dropped = 0;
    const timer = setTimeout(() => socket.destroy(), limits.maxMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > limits.maxBytes) socket.destroy();
    });
    // The client is done sending: close once our answer is flushed.
    socket.once('end', () => {
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
    });
    socket.resume();
    restartReading(socket);
  };
}

type ReadableHandle = { reading?: boolean; readStart?: () => number };

/**
 * node:http's parser reads the socket's handle itself, and stops and restarts the handle on the
 * socket's pause and resume events; taking the socket back (the `data` listener above) removes the
 * restart, so a handle the parser had stopped (the request's buffer was full) would stay stopped and
 * the refused body would never be read. Restart it as the parser would have.
 */
function restartReading(socket: Socket): void {
  const handle = (socket as Socket & { _handle?: ReadableHandle | null })._handle;
  if (handle && handle.reading === false && typeof handle.readStart === 'function') {
    handle.reading = true;
    handle.readStart();
  }
}
