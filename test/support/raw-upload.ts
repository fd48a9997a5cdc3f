// A simple client over a raw socket: it uploads its whole request first and reads the answer only
// then, as many HTTP clients do. What a server that answers before reading the body must survive.
import { connect } from 'node:net';

/**
 * Uploads a body over a raw socket slowly, in `chunks` pieces a few ms apart, and reads nothing until
 * it has written them all (or the socket failed): what a simple client does. Resolves with all it
 * could read then, and whether a write failed (the connection was reset under it).
 *
 * @param port - the server's port on 127.0.0.1
 * @param head - the request line and headers, ending with the blank line
 * @param chunks - the body, one write each, 5 ms apart
 * @example
 * const { text, writeFailed } = await uploadSlowly(port, 'POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n', ['abc']);
 */
export function uploadSlowly(port: number, head: string, chunks: readonly (string | Buffer)[]): Promise<{ text: string; writeFailed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    let text = '';
    let writeFailed = false;
    socket.on('error', () => (writeFailed = true));
    socket.on('close', () => resolve({ text, writeFailed }));
    const readAll = () => {
      socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
      socket.resume();
    };
    socket.write(head);
    let i = 0;
    const timer = setInterval(() => {
      if (i === chunks.length || socket.destroyed) {
        clearInterval(timer);
        readAll();
        return;
      }
      socket.write(chunks[i++]!);
    }, 5);
  });
}
