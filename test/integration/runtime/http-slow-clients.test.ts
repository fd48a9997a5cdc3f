// Slow and numerous clients against the service listener (runtime/host/http-listener.ts), with
// short, test-only limits: a client sending its headers a byte at a time, a body that stops
// arriving, garbage instead of HTTP and more connections than allowed are each cut (with a JSON
// answer where one can be given) while a normal client on another connection is served.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListener } from '../../../runtime/host/http-listener.js';
import { createHttpApp, type Invoke } from '../../support/runtime.js';
import { captureLogger, schemas, usersDefinition } from './fixtures.js';

const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 2000, keepAliveTimeoutMs: 500, bodyIdleTimeoutMs: 200, maxConnections: 6 };

/** Answers what the endpoint's output type expects, without a hook: these tests are about the listener. */
const invoke: Invoke = async (endpoint) => (endpoint.name === 'createUser' || endpoint.name === 'getUser' ? { id: 1, email: 'ada@example.com', name: 'Ada' } : undefined);

/** Everything the server sends on a raw socket until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe.each(['node', 'express'] as const)('%s binding behind the listener', (binding) => {
  let listener: HttpListener;
  let port: number;
  const { logger } = captureLogger('users');

  beforeAll(async () => {
    const app = createHttpApp({ definition: { ...usersDefinition, binding }, invoke, schemas, logger, bodyLimitBytes: 1024, isReady: () => true });
    listener = createHttpListener(app, logger, LIMITS);
    port = await listener.listen(0, '127.0.0.1', 'users');
  });
  afterAll(() => listener.drain(1000));

  it('cuts a client sending its headers one byte at a time with a 408, while serving a normal client', async () => {
    const slow = await open(port);
    const answer = untilClosed(slow);
    const head = 'GET /users/1 HTTP/1.1\r\nHost: t\r\nX-Padding: ' + 'a'.repeat(10_000);
    let i = 0;
    const drip = setInterval(() => {
      if (slow.destroyed || i === head.length) clearInterval(drip);
      else slow.write(head[i++] as string);
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const normal = await fetch(`http://127.0.0.1:${port}/users/1`);
    expect(normal.status).toBe(200);
    const text = await answer;
    clearInterval(drip);
    expect(i).toBeLessThan(head.length);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('X-Content-Type-Options: nosniff');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'RequestTimeout', message: 'the request did not arrive in time' } });
  });

  it('answers 408 with Connection: close to a body that stops arriving, while serving a normal client', async () => {
    const slow = await open(port);
    const answer = untilClosed(slow);
    slow.write('POST /users HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Request-Id: idle-body\r\n\r\n{"email":');
    const normal = await fetch(`http://127.0.0.1:${port}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'b@example.com', name: 'B' }) });
    expect(normal.status).toBe(201);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code: 'RequestTimeout', requestId: 'idle-body' });
  });

  it('answers bytes that are not HTTP with a JSON 400 and no text of node', async () => {
    const socket = await open(port);
    const answer = untilClosed(socket);
    socket.write('HELLO THERE\r\n\r\n');
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'BadRequest', message: 'the request is not valid HTTP/1.1' } });
  });

  it('closes connections past maxConnections as they arrive, and serves again once some close', async () => {
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => open(port)));
    // Each sends part of a request so none is idle-closed before the extra one arrives.
    for (const socket of held) socket.write('GET /users/1 HTTP/1.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await open(port);
    expect(await untilClosed(extra)).toBe('');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await fetch(`http://127.0.0.1:${port}/users/1`)).status).toBe(200);
  });
});
