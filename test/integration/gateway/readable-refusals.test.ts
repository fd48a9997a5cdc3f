// A refusal the client can read (issue #10): when the gateway answers before reading the request
// body (401, 429, 413 by Content-Length, 404), it says Connection: close, then reads and drops the rest
// of the body within bounds (4x the body limit, 5 s: runtime/http/unread-body.ts) before closing, so
// a client still uploading is not reset and reads the answer. Past the bounds the client is cut. A
// refused request without a body keeps its connection.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET } from '../../support/jwt.js';
import { uploadSlowly } from '../../support/raw-upload.js';
import { closeAll, echo, PATIENCE_MS, send, signal, startGateway, startUpstream, within, type Upstream } from './helpers.js';

afterEach(closeAll);

const MB = 1_000_000;
// Large writes: the upload must end well within the 5 s the gateway lingers, even on a busy machine.
const CHUNK = Buffer.alloc(256 * 1024, 'x');
/** `bytes` of body as writes of 256 KiB. */
const bodyOf = (bytes: number) => Array.from({ length: Math.ceil(bytes / CHUNK.length) }, (_, i) => CHUNK.subarray(0, Math.min(CHUNK.length, bytes - i * CHUNK.length)));
const head = (path: string, length: number, extra = '') => `POST ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n${extra}\r\n`;

/** Status line and JSON body of a raw HTTP/1.1 answer. */
function parse(text: string): { status: number; connection: string | undefined; error: { code?: string } | undefined } {
  const [headPart = '', body = ''] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(headPart)?.[1] ?? 0);
  const connection = /\r\nconnection: ([^\r]*)/i.exec(headPart)?.[1];
  let error: { code?: string } | undefined;
  try {
    error = (JSON.parse(body) as { error?: { code?: string } }).error;
  } catch {
    error = undefined;
  }
  return { status, connection, error };
}

async function stack(bodyLimitBytes: number): Promise<{ port: number; users: Upstream }> {
  const users = await startUpstream(echo);
  const gw = await startGateway(
    [
      { prefix: '/api/users', service: 'users' },
      { prefix: '/api/open', service: 'users', public: true, rateLimit: { algorithm: 'sliding-window', limit: 1, windowMs: 60_000 } },
    ],
    { users: users.origin },
    { bodyLimitBytes, auth: { jwt: { algorithms: ['HS256'], secretEnv: 'JWT_SECRET' } }, env: { JWT_SECRET: SECRET }, cors: { origins: ['https://shop.example'] } },
  );
  return { port: gw.port, users };
}

describe('answers the gateway gives before reading the body', () => {
  it('401 without a token: a client uploading 5 MB and reading only at the end reads the status and the JSON error', async () => {
    const { port, users } = await stack(8 * 1024 * 1024);
    const { text, writeFailed } = await uploadSlowly(port, head('/api/users/1', 5 * MB), bodyOf(5 * MB));
    expect(writeFailed).toBe(false);
    expect(parse(text)).toEqual({ status: 401, connection: 'close', error: expect.objectContaining({ code: 'Unauthorized' }) });
    expect(users.requests).toBe(0);
  });

  it('429 from the rate limit, read the same way', async () => {
    const { port } = await stack(8 * 1024 * 1024);
    expect((await send(port, '/api/open/x')).status).toBe(200);
    const { text, writeFailed } = await uploadSlowly(port, head('/api/open/x', 5 * MB), bodyOf(5 * MB));
    expect(writeFailed).toBe(false);
    const answer = parse(text);
    expect(answer.status).toBe(429);
    expect(answer.error?.code).toBe('TooManyRequests');
    expect(text).toMatch(/\r\nretry-after: [1-9]\d*\r\n/i);
  });

  it('413 by Content-Length: a 3 MB upload over a 1 MiB limit is read to its end and the 413 read', async () => {
    const { port, users } = await stack(1024 * 1024);
    const { text, writeFailed } = await uploadSlowly(port, head('/api/users/1', 3 * MB, 'Authorization: Bearer whatever\r\n'), bodyOf(3 * MB));
    expect(writeFailed).toBe(false);
    expect(parse(text)).toEqual({ status: 413, connection: 'close', error: expect.objectContaining({ code: 'PayloadTooLarge' }) });
    expect(users.requests).toBe(0);
  });

  it('stops reading past four times the body limit: the client is cut before it sent it all', async () => {
    const { port } = await stack(64 * 1024);
    // 10 MiB against a limit of 64 KiB: at most 256 KiB are read and dropped after the 401.
    const { writeFailed } = await uploadSlowly(port, head('/api/users/1', 40 * CHUNK.length), bodyOf(40 * CHUNK.length));
    expect(writeFailed).toBe(true);
  });

  it('closes after 5 s a client that keeps sending a little forever, having answered it first', async () => {
    const { port } = await stack(8 * 1024 * 1024);
    // Half-open allowed: the client goes on sending after the gateway's FIN, as a stubborn one would.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    const answered = signal<number>();
    const closed = signal<number>();
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (text.includes('\r\n\r\n')) answered.resolve(Date.now());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => closed.resolve(Date.now()));
    socket.write(head('/api/users/1', 5 * MB));
    const trickle = setInterval(() => socket.writable && socket.write('x'), 50);
    try {
      const answeredAt = await within(answered.promise, PATIENCE_MS, 'no answer');
      const closedAt = await within(closed.promise, 5_000 + PATIENCE_MS, 'the gateway kept the connection open past its linger time');
      expect(parse(text).status).toBe(401);
      // It lingered (the linger time is 5 s) instead of cutting the connection with the answer.
      expect(closedAt - answeredAt).toBeGreaterThan(2_000);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  }, 30_000);

  it('404 for a path no route has, with a body on its way', async () => {
    const { port } = await stack(8 * 1024 * 1024);
    const { text, writeFailed } = await uploadSlowly(port, head('/nowhere', 2 * MB), bodyOf(2 * MB));
    expect(writeFailed).toBe(false);
    expect(parse(text)).toMatchObject({ status: 404, connection: 'close' });
  });

  it('keeps the connection when the refused request has no body: 404, 401 and a CORS preflight on one socket', async () => {
    const { port } = await stack(1024 * 1024);
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const answers = signal<void>();
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if ((text.match(/HTTP\/1\.1 /g) ?? []).length === 3) answers.resolve();
    });
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write(
      'GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n' +
        'GET /api/users/1 HTTP/1.1\r\nHost: t\r\n\r\n' +
        'OPTIONS /api/users/1 HTTP/1.1\r\nHost: t\r\nOrigin: https://shop.example\r\nAccess-Control-Request-Method: GET\r\n\r\n',
    );
    try {
      await within(answers.promise, PATIENCE_MS, 'not three answers on one connection');
      expect([...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1])).toEqual(['404', '401', '204']);
      expect(text.toLowerCase()).not.toContain('connection: close');
      expect(closed).toBe(false);
    } finally {
      socket.destroy();
    }
  });
});
