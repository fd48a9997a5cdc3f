import { describe, expect, it } from 'vitest';
import { isSaneRequestId, readRequestHead, responseHeaders, SECURITY_HEADERS, type RequestHead } from '../../../runtime/gateway/headers.js';

function emptyHead(): RequestHead {
  return { requestId: '', contentLength: -1, chunked: false, forwardedFor: '', forwardedProto: '', forwardedHost: '', host: '', origin: '', preflightMethod: '', traceparent: '', tracestate: '' };
}

/** The forwarded headers (`headers`, without the trace context every request gets, which `trace` holds). */
function read(raw: string[]) {
  const head = emptyHead();
  const all = readRequestHead(raw, head);
  const headers: string[] = [];
  const trace: string[] = [];
  for (let i = 0; i < all.length; i += 2) (all[i] === 'traceparent' || all[i] === 'tracestate' ? trace : headers).push(all[i]!, all[i + 1]!);
  return { head, headers, trace };
}

const buffers = (raw: string[]) => raw.map((s) => Buffer.from(s, 'latin1'));

describe('readRequestHead', () => {
  it('drops hop-by-hop headers whatever their case, and keeps the rest in order', () => {
    const { headers } = read([
      'Accept', 'text/plain',
      'Connection', 'keep-alive',
      'Keep-Alive', 'timeout=5',
      'TE', 'trailers',
      'Trailer', 'x-sum',
      'Upgrade', 'websocket',
      'Proxy-Authorization', 'Basic x',
      'proxy-connection', 'keep-alive',
      'X-Custom', 'a',
      'x-custom', 'b',
    ]);
    expect(headers).toEqual(['Accept', 'text/plain', 'X-Custom', 'a', 'x-custom', 'b']);
  });

  it('drops the headers Connection names', () => {
    const { headers } = read(['connection', 'close, X-Secret-Hop', 'x-secret-hop', '1', 'x-other', '2']);
    expect(headers).toEqual(['x-other', '2']);
  });

  it('keeps headers that only look like hop-by-hop ones', () => {
    const { headers } = read(['proxy', '1', 'x-proxy-id', '2', 'tea', '3', 'upgrades', '4']);
    expect(headers).toEqual(['proxy', '1', 'x-proxy-id', '2', 'tea', '3', 'upgrades', '4']);
  });

  it("drops what a client must not choose: x-mesh-* in any case, identity, address and override headers", () => {
    const { headers } = read([
      'X-Mesh-Caller', 'e30',
      'x-mesh-deadline', '1',
      'X-MESH-ANYTHING', 'x',
      'Forwarded', 'for=1.2.3.4',
      'X-Real-IP', '1.2.3.4',
      'X-User-Id', 'admin',
      'X-Original-URL', '/admin',
      'X-HTTP-Method-Override', 'DELETE',
      'X-Meshy', 'kept: not the mesh prefix',
      'Accept', 'application/json',
    ]);
    expect(headers).toEqual(['X-Meshy', 'kept: not the mesh prefix', 'Accept', 'application/json']);
  });

  it('reads the body framing: Content-Length is forwarded, Transfer-Encoding is not', () => {
    const sized = read(['Content-Length', '12']);
    expect(sized.head.contentLength).toBe(12);
    expect(sized.headers).toEqual(['Content-Length', '12']);
    const chunked = read(['Transfer-Encoding', 'chunked']);
    expect(chunked.head.chunked).toBe(true);
    expect(chunked.head.contentLength).toBe(-1);
    expect(chunked.headers).toEqual([]);
  });

  it('takes out the headers the gateway sets itself', () => {
    const { head, headers } = read([
      'Host', 'shop.example',
      'X-Request-Id', 'abc',
      'X-Forwarded-For', '1.1.1.1',
      'x-forwarded-for', '2.2.2.2',
      'X-Forwarded-Proto', 'https',
      'X-Forwarded-Host', 'edge.example',
      'Expect', '100-continue',
    ]);
    expect(headers).toEqual([]);
    expect(head).toMatchObject({
      host: 'shop.example',
      requestId: 'abc',
      forwardedFor: '1.1.1.1, 2.2.2.2',
      forwardedProto: 'https',
      forwardedHost: 'edge.example',
    });
  });

  it('ignores an insane request id (the proxy then generates one)', () => {
    expect(read(['x-request-id', 'has space']).head.requestId).toBe('');
    expect(read(['x-request-id', 'x'.repeat(129)]).head.requestId).toBe('');
  });
});

describe('isSaneRequestId', () => {
  it.each(['a', 'A-b_c.d:e', '0'.repeat(128), '3f0c1c9e-2d8b-4b7a-9f1e-1a2b3c4d5e6f'])('accepts %s', (id) => {
    expect(isSaneRequestId(id)).toBe(true);
  });
  it.each(['', '0'.repeat(129), 'a b', 'a/b', 'a\nb', 'é', '<script>'])('rejects %j', (id) => {
    expect(isSaneRequestId(id)).toBe(false);
  });
});

describe('responseHeaders', () => {
  it('drops hop-by-hop headers, the upstream request id and what it says of itself, then adds the gateway id and security headers', () => {
    const out = responseHeaders(
      buffers([
        'Content-Type', 'application/json',
        'Connection', 'keep-alive, X-Hop',
        'Keep-Alive', 'timeout=5',
        'Transfer-Encoding', 'chunked',
        'X-Hop', '1',
        'Proxy-Authenticate', 'Basic',
        'X-Request-Id', 'upstream-id',
        'Set-Cookie', 'a=1',
        'Set-Cookie', 'b=2',
        'Server', 'nginx/1.2.3',
        'X-Powered-By', 'Express',
        'X-Content-Type-Options', 'whatever',
        'X-Mesh-Internal', 'secret',
        'Content-Length', '10',
      ]),
      'gw-id',
      false,
    );
    expect(out).toEqual([
      'Content-Type', 'application/json',
      'Set-Cookie', 'a=1',
      'Set-Cookie', 'b=2',
      'Content-Length', '10',
      'x-request-id', 'gw-id',
      ...SECURITY_HEADERS,
    ]);
  });

  it('asks the client to close the connection when the gateway is shutting down', () => {
    expect(responseHeaders([], 'id', true)).toEqual(['x-request-id', 'id', ...SECURITY_HEADERS, 'connection', 'close']);
  });

  it('passes non-ASCII header bytes through unchanged', () => {
    const raw = [Buffer.from('x-name'), Buffer.from('Zoë', 'utf8')];
    const out = responseHeaders(raw, 'id', false);
    expect(Buffer.from(out[1]!, 'latin1').toString('utf8')).toBe('Zoë');
  });
});

describe('readRequestHead: trace context', () => {
  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const incoming = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

  it('continues a valid traceparent (same trace, new parent-id) and keeps its tracestate', () => {
    const { head, trace } = read(['TraceParent', incoming, 'TraceState', 'congo=t61rcWkgMzE', 'tracestate', 'rojo=00f067aa0ba902b7']);
    expect(head.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
    expect(head.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(trace).toEqual(['traceparent', head.traceparent, 'tracestate', head.tracestate]);
  });

  it('starts a trace when there is none, and restarts it (without the tracestate) for an invalid or repeated one', () => {
    for (const raw of [[], ['traceparent', 'garbage', 'tracestate', 'congo=x'], ['traceparent', incoming, 'traceparent', incoming, 'tracestate', 'congo=x']]) {
      const { head, trace } = read(raw);
      expect(head.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(head.traceparent).not.toContain(TRACE_ID);
      expect(head.tracestate).toBe('');
      expect(trace).toEqual(['traceparent', head.traceparent]);
    }
  });
});
