// Bodies stream through the gateway both ways, and upstream connections are reused. Request bodies
// with a Content-Length up to REPLAYABLE_BODY_BYTES are the exception: read whole first (retry.ts).
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLAYABLE_BODY_BYTES } from '../../../runtime/gateway/retry.js';
import { closeAll, PATIENCE_MS, send, signal, startGateway, startUpstream, within } from './helpers.js';

afterEach(closeAll);

/** An upstream that answers with the size and sha256 of the body it read. */
function digestHandler(onFirstChunk?: () => void) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      if (bytes === 0) onFirstChunk?.();
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), chunked: req.headers['transfer-encoding'] === 'chunked' }));
    });
  };
}

describe('request bodies', () => {
  it('forwards a 5 MB upload intact when the limit allows it', async () => {
    const users = await startUpstream(digestHandler());
    const gw = await startGateway([{ prefix: '/up', service: 'users' }], { users: users.origin }, { bodyLimitBytes: 10 * 1024 * 1024 });
    const body = randomBytes(5 * 1024 * 1024);
    const reply = await send(gw.port, '/up', { method: 'POST', body, timeoutMs: 20_000 });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      chunked: false,
    });
  });

  // Past the size that is read whole for retries (a smaller one is buffered: retry.test.ts).
  const streamed = REPLAYABLE_BODY_BYTES + 4000;
  it.each([
    ['with Content-Length', { 'content-length': String(streamed) }, streamed],
    ['chunked', {}, 4000],
  ])('streams the upload %s: the upstream reads the first chunk before the client sends the rest', async (_, headers, size) => {
    const firstChunkUpstream = signal();
    const users = await startUpstream(digestHandler(() => firstChunkUpstream.resolve()));
    const gw = await startGateway([{ prefix: '/up', service: 'users' }], { users: users.origin });

    const reply = signal<{ status: number; body: string }>();
    const req = request({ host: '127.0.0.1', port: gw.port, path: '/up', method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => reply.resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1000, 1));
    try {
      await within(firstChunkUpstream.promise, PATIENCE_MS, 'the upstream did not see the first chunk before the body ended');
    } finally {
      req.end(Buffer.alloc(size - 1000, 2));
    }
    const { status, body } = await within(reply.promise, PATIENCE_MS, 'no reply');
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ bytes: size, chunked: !('content-length' in headers) });
  });
});

describe('response bodies', () => {
  it('streams a chunked response: the client gets the first chunk while the upstream still writes', async () => {
    const clientGotFirst = signal();
    const order: string[] = [];
    const users = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      // Waits for the client (bounded, so a buffering gateway fails the order check, not the run).
      void within(clientGotFirst.promise, PATIENCE_MS, 'late')
        .catch(() => order.push('upstream gave up waiting'))
        .finally(() => {
          order.push('upstream writes second');
          res.end('second');
        });
    });
    const gw = await startGateway([{ prefix: '/down', service: 'users' }], { users: users.origin });

    const done = signal<string>();
    const req = request({ host: '127.0.0.1', port: gw.port, path: '/down' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        if (body === '') {
          order.push('client got first');
          clientGotFirst.resolve();
        }
        body += chunk;
      });
      res.on('end', () => done.resolve(body));
    });
    req.end();
    expect(await within(done.promise, 2 * PATIENCE_MS, 'no response')).toBe('first;second');
    expect(order).toEqual(['client got first', 'upstream writes second']);
  });

  it('forwards a large response intact', async () => {
    const payload = randomBytes(3 * 1024 * 1024);
    const users = await startUpstream((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': payload.length }).end(payload);
    });
    const gw = await startGateway([{ prefix: '/big', service: 'users' }], { users: users.origin });
    const reply = await send(gw.port, '/big', { timeoutMs: 20_000 });
    expect(reply.headers['content-length']).toBe(String(payload.length));
    expect(reply.body.equals(payload)).toBe(true);
  });
});

describe('upstream connections', () => {
  it('reuses one keep-alive connection for 50 sequential requests', async () => {
    const users = await startUpstream();
    const gw = await startGateway([{ prefix: '/api', service: 'users' }], { users: users.origin });
    for (let i = 0; i < 50; i++) {
      const reply = await send(gw.port, `/api/${i}`);
      expect(reply.status).toBe(200);
    }
    expect(users.requests).toBe(50);
    expect(users.connections).toBe(1);
  });
});
