// What the client gets when something goes wrong: upstream down, slow, broken; body too large;
// and what the upstream sees when the client goes away.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, closedPort, PATIENCE_MS, send, signal, sleep, startGateway, startUpstream, within } from './helpers.js';

afterEach(closeAll);

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

function expectError(reply: { status: number; headers: Record<string, unknown>; json<T>(): T }, status: number, code: string) {
  expect(reply.status).toBe(status);
  const body = reply.json<ErrorBody>();
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(reply.headers['x-request-id']);
  expect(JSON.stringify(body)).not.toMatch(/\s+at\s|node:|\.ts:/); // no stack, no internals
  return body;
}

describe('upstream failures', () => {
  it('answers 503 Unavailable at once when the upstream port is closed', async () => {
    const port = await closedPort();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: `http://127.0.0.1:${port}` });
    const reply = await send(gw.port, '/api/x');
    const body = expectError(reply, 503, 'Unavailable');
    expect(body.error.message).toBe('service users is unavailable');
    expect(await gw.logOf(body.error.requestId)).toMatchObject({ status: 503, upstream: 'users', upstreamError: 'ECONNREFUSED' });
  });

  it('answers 504 Timeout when the upstream is slower than timeoutMs', async () => {
    const upstreamClosed = signal();
    const users = await startUpstream((req, res) => {
      req.resume();
      // Later than the test waits for anything: a gateway that did not give up fails on this answer.
      const timer = setTimeout(() => res.end('too late'), 6 * PATIENCE_MS);
      res.on('close', () => {
        clearTimeout(timer);
        upstreamClosed.resolve();
      });
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { timeoutMs: 300 });
    const reply = await send(gw.port, '/api/slow');
    const body = expectError(reply, 504, 'Timeout');
    expect(body.error.message).toBe('service users did not answer within 300 ms');
    // The upstream request is given up, not left hanging.
    await within(upstreamClosed.promise, PATIENCE_MS, 'the upstream request was not closed after the timeout');
  });

  it('answers 502 BadGateway when the upstream drops the connection before answering', async () => {
    const users = await startUpstream((req) => req.socket.destroy());
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    const body = expectError(await send(gw.port, '/api/x'), 502, 'BadGateway');
    expect(body.error.message).toBe('service users failed to answer');
  });

  it('answers 502 BadGateway for a response that is not HTTP', async () => {
    const users = await startUpstream((req) => {
      req.socket.end('SMTP ready\r\n\r\n');
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    expectError(await send(gw.port, '/api/x'), 502, 'BadGateway');
  });

  it('cuts the client response when the upstream socket dies mid-response', async () => {
    const clientGotPart = signal();
    const users = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      // Dies once the client has the start of the response, so the gateway has surely sent it.
      void clientGotPart.promise.then(() => res.socket?.destroy());
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    const outcome = new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: gw.port, path: '/api/x', headers: { 'x-request-id': 'cut-1' } }, (res) => {
        res.once('data', () => clientGotPart.resolve());
        res.on('aborted', () => resolve('cut'));
        res.on('error', () => resolve('cut'));
        res.on('end', () => resolve(res.complete ? 'complete' : 'cut'));
      });
      req.on('error', () => resolve('cut'));
      req.end();
    });
    // The status line went out already: the only honest signal left is a cut connection.
    expect(await within(outcome, PATIENCE_MS, 'the client response was neither cut nor finished')).toBe('cut');
    expect(await gw.logOf('cut-1')).toMatchObject({ status: 200, error: 'BadGateway' });
  });
});

describe('body limit', () => {
  it('answers 413 as soon as Content-Length is over the limit, without calling the upstream', async () => {
    const users = await startUpstream();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { bodyLimitBytes: 1000 });
    // Only the headers are sent: the 413 must come without waiting for the body.
    const reply = signal<{ status: number; body: string; connection?: string }>();
    const req = request(
      { host: '127.0.0.1', port: gw.port, path: '/api/upload', method: 'POST', headers: { 'content-length': '5000000' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => reply.resolve({ status: res.statusCode ?? 0, body, ...(res.headers.connection !== undefined && { connection: res.headers.connection }) }));
      },
    );
    req.on('error', () => undefined);
    req.flushHeaders();
    const { status, body, connection } = await within(reply.promise, PATIENCE_MS, 'no 413 before the body was sent');
    req.destroy();
    expect(status).toBe(413);
    // The unread body makes the connection unusable for another request.
    expect(connection).toBe('close');
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'PayloadTooLarge', message: 'request body is larger than 1000 bytes' } });
    expect(users.requests).toBe(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const users = await startUpstream();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { bodyLimitBytes: 1000 });
    expect((await send(gw.port, '/api/x', { method: 'POST', body: Buffer.alloc(1000) })).status).toBe(200);
  });

  it('cuts a chunked body once it passes the limit: 413 to the client, upstream request aborted', async () => {
    const upstreamEnded = signal<{ bytes: number; complete: boolean }>();
    const users = await startUpstream((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.end('read it all'));
      res.on('close', () => upstreamEnded.resolve({ bytes, complete: req.complete }));
    });
    const limit = 64 * 1024;
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin }, { bodyLimitBytes: limit });

    const reply = signal<number>();
    const req = request({ host: '127.0.0.1', port: gw.port, path: '/api/upload', method: 'POST' }, (res) => {
      res.resume();
      reply.resolve(res.statusCode ?? 0);
    });
    req.on('error', () => undefined); // the gateway closes the connection after its 413
    let answered = false;
    void reply.promise.then(() => (answered = true));
    // 16 KiB chunks, up to 1 MiB, stopping once the gateway answered.
    for (let sent = 0; sent < 1024 * 1024 && !answered && !req.destroyed; sent += 16 * 1024) {
      req.write(Buffer.alloc(16 * 1024, 7));
      await sleep(2);
    }
    expect(await within(reply.promise, PATIENCE_MS, 'no answer to an over-limit chunked body')).toBe(413);
    req.destroy();
    const upstream = await within(upstreamEnded.promise, PATIENCE_MS, 'the upstream request was not ended');
    expect(upstream.complete).toBe(false);
    expect(upstream.bytes).toBeLessThanOrEqual(limit);
  });
});

describe('client going away', () => {
  it('aborts the upstream request when the client disconnects', async () => {
    const upstreamGotRequest = signal();
    const upstreamClosed = signal<boolean>();
    const users = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      res.on('close', () => upstreamClosed.resolve(res.writableFinished));
      upstreamGotRequest.resolve(); // and never answers
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    const req = request({ host: '127.0.0.1', port: gw.port, path: '/api/wait', headers: { 'x-request-id': 'gone-1' } });
    req.on('error', () => undefined);
    req.end();
    await within(upstreamGotRequest.promise, PATIENCE_MS, 'the request never reached the upstream');
    req.destroy();
    const finished = await within(upstreamClosed.promise, PATIENCE_MS, 'the upstream request was not aborted');
    expect(finished).toBe(false);
    expect(await gw.logOf('gone-1')).toMatchObject({ status: 499, error: 'ClientClosed', upstream: 'users' });
  });

  it('aborts the upstream response stream when the client disconnects mid-body', async () => {
    const upstreamClosed = signal();
    const users = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(200);
      const timer = setInterval(() => res.write('tick\n'), 10);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed.resolve();
      });
    });
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    const gotData = signal();
    const req = request({ host: '127.0.0.1', port: gw.port, path: '/api/stream' }, (res) => {
      res.once('data', () => gotData.resolve());
    });
    req.on('error', () => undefined);
    req.end();
    await within(gotData.promise, PATIENCE_MS, 'no streamed data');
    req.destroy();
    await within(upstreamClosed.promise, PATIENCE_MS, 'the upstream kept streaming to nobody');
  });
});
