// What a client whose request node:http itself refused reads (headers too slow or too large, bytes
// that are not HTTP): a JSON error like any other answer, with the same security headers, written
// on the raw socket since there is no request or response object. Never node's own text.
import type { Socket } from 'node:net';
import { MeshError, RequestTimeout } from '../errors/index.js';

/**
 * Answers a `clientError` of node's server on its socket, then closes it.
 *
 * @param err - what node reported (`ERR_HTTP_REQUEST_TIMEOUT`, `HPE_HEADER_OVERFLOW`, a parse error)
 * @param socket - the client's socket
 * @example
 * server.on('clientError', answerClientError);
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
    socket.destroy();
    return;
  }
  const error = errorFor(err.code);
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${error.status} ${REASONS[error.status] ?? 'Bad Request'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

function errorFor(code: string | undefined): MeshError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RequestTimeout('the request did not arrive in time');
    case 'HPE_HEADER_OVERFLOW':
      return new MeshError('HeadersTooLarge', 'the request headers are too large', 431);
    default:
      return new MeshError('BadRequest', 'the request is not valid HTTP/1.1', 400);
  }
}
