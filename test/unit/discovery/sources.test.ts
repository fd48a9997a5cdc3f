// Where instances come from: a static list, MESH_<SERVICE>_HTTP / _GRPC as one address or a
// comma-separated list (each item checked, errors naming the variable), and DNS re-resolved on an
// interval through an injected resolver (instances come and go; failures keep the last good set).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDnsSource,
  createEnvSource,
  createStaticSource,
  defaultInstanceSource,
  parseAddressList,
  resolveGrpcAddress,
  resolveHttpOrigin,
  type DiscoveryEvent,
  type ServiceInstance,
} from '../../../runtime/discovery/index.js';

const addresses = (instances: readonly ServiceInstance[]) => instances.map((i) => i.address);

describe('environment lists', () => {
  it('reads one address or a comma-separated list, trimming blanks and dropping duplicates', () => {
    expect(parseAddressList('http://a:3001', 'http', 'MESH_USERS_HTTP')).toEqual(['http://a:3001']);
    expect(parseAddressList('http://a:3001/, https://b:3001 ,http://a:3001', 'http', 'MESH_USERS_HTTP')).toEqual(['http://a:3001', 'https://b:3001']);
    expect(parseAddressList('a:50051,[::1]:50051', 'grpc', 'MESH_USERS_GRPC')).toEqual(['a:50051', '[::1]:50051']);
  });

  it.each([
    ['http', 'http://a:3001,users:3001', "MESH_USERS_HTTP (item 2 of 2): 'users:3001' must use http or https"],
    ['http', 'http://a:3001,,http://b:3001', 'MESH_USERS_HTTP (item 2 of 3): empty address (expected e.g. http://users:3001)'],
    ['http', 'not a url', "MESH_USERS_HTTP: 'not a url' is not a URL (expected e.g. http://users:3001)"],
    ['http', 'ftp://a:21', "MESH_USERS_HTTP: 'ftp://a:21' must use http or https"],
    ['grpc', 'a:50051,http://b:50051', "MESH_USERS_GRPC (item 2 of 2): 'http://b:50051' is not a host:port address"],
    ['grpc', 'a:50051,', 'MESH_USERS_GRPC (item 2 of 2): empty address (expected e.g. users:50051)'],
  ] as const)('rejects a bad %s value %j, naming the variable and the item', (kind, value, message) => {
    const variable = kind === 'http' ? 'MESH_USERS_HTTP' : 'MESH_USERS_GRPC';
    expect(() => createEnvSource('users', kind, { [variable]: value })).toThrow(message);
  });

  it('clips a huge bad value in the message', () => {
    const junk = 'x'.repeat(10_000);
    let message = '';
    try {
      parseAddressList(junk, 'http', 'MESH_USERS_HTTP');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.length).toBeLessThan(200);
    expect(message).toMatch(/^MESH_USERS_HTTP: 'x+\.\.\.' is not a URL/);
  });

  it('gives no source for an unset or blank variable', () => {
    expect(createEnvSource('users', 'http', {})).toBeUndefined();
    expect(createEnvSource('users', 'http', { MESH_USERS_HTTP: '  ' })).toBeUndefined();
  });

  it('makes a source named after the variable', () => {
    const source = createEnvSource('users', 'http', { MESH_USERS_HTTP: 'http://b:3001,http://a:3001' })!;
    expect(source.description).toBe('MESH_USERS_HTTP');
    expect(addresses(source.current())).toEqual(['http://a:3001', 'http://b:3001']);
  });

  it('keeps the single-address resolvers working, and says when a list reaches one', () => {
    expect(resolveHttpOrigin('users', 3001, undefined, { MESH_USERS_HTTP: 'http://a:3001/' })).toBe('http://a:3001');
    expect(resolveGrpcAddress('users', 1, undefined, { MESH_USERS_GRPC: 'a:50051' })).toBe('a:50051');
    expect(() => resolveHttpOrigin('users', 3001, undefined, { MESH_USERS_HTTP: 'http://a:3001,http://b:3001' })).toThrow(
      'MESH_USERS_HTTP: lists 2 addresses, but this caller takes one',
    );
    expect(() => resolveGrpcAddress('users', 1, undefined, { MESH_USERS_GRPC: 'a:1,b:1,c:1' })).toThrow('MESH_USERS_GRPC: lists 3 addresses');
  });
});

describe('static and default sources', () => {
  it('checks every address of a static list and refuses an empty one', () => {
    expect(() => createStaticSource([], { kind: 'http', description: 'spec users.instances' })).toThrow('spec users.instances: no addresses given');
    expect(() => createStaticSource(['http://a:1', 'b:1'], { kind: 'http', description: 'spec' })).toThrow("spec: 'b:1' must use http or https");
    expect(addresses(createStaticSource(['10.0.0.2:50051', '10.0.0.1:50051'], { kind: 'grpc' }).current())).toEqual(['10.0.0.1:50051', '10.0.0.2:50051']);
  });

  it('takes the override, else the variable, else the spec port on 127.0.0.1', () => {
    const env = { MESH_USERS_HTTP: 'http://a:3001,http://b:3001', MESH_USERS_GRPC: 'a:50051' };
    expect(addresses(defaultInstanceSource('users', 'http', 3001, { http: { users: 'http://127.0.0.1:4000' } }, env).current())).toEqual(['http://127.0.0.1:4000']);
    expect(addresses(defaultInstanceSource('users', 'http', 3001, undefined, env).current())).toEqual(['http://a:3001', 'http://b:3001']);
    expect(addresses(defaultInstanceSource('users', 'grpc', 50051, undefined, env).current())).toEqual(['a:50051']);
    expect(addresses(defaultInstanceSource('users', 'grpc', 50051, undefined, {}).current())).toEqual(['127.0.0.1:50051']);
    expect(defaultInstanceSource('users', 'http', 3001, undefined, {}).description).toBe('spec port of users');
  });
});

describe('DNS source (injected resolver)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A resolver whose answer the test sets: a list of IPs, or an error to throw. */
  function fakeDns(initial: readonly string[] | Error) {
    let answer = initial;
    const asked: string[] = [];
    return {
      asked,
      set: (next: readonly string[] | Error) => void (answer = next),
      resolve: async (host: string) => {
        asked.push(host);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    };
  }

  function errno(code: string): Error {
    return Object.assign(new Error(`queryA ${code} users`), { code });
  }

  it('turns records into origins (IPv6 in brackets) or host:port, and follows instances as they come and go', async () => {
    const dns = fakeDns(['10.0.0.2', '10.0.0.1', 'fd00::7']);
    const events: DiscoveryEvent[] = [];
    const source = createDnsSource({ host: 'users.shop.svc.cluster.local', port: 3001, kind: 'http', resolve: dns.resolve, observer: (e) => events.push(e) });
    const seen: string[][] = [];
    source.subscribe((instances) => seen.push(addresses(instances)));
    await source.ready;
    expect(dns.asked).toEqual(['users.shop.svc.cluster.local']);
    expect(addresses(source.current())).toEqual(['http://10.0.0.1:3001', 'http://10.0.0.2:3001', 'http://[fd00::7]:3001']);

    dns.set(['10.0.0.2', '10.0.0.3']);
    await source.refresh();
    expect(addresses(source.current())).toEqual(['http://10.0.0.2:3001', 'http://10.0.0.3:3001']);
    expect(events.at(-1)).toEqual({
      type: 'instances-changed',
      source: 'dns users.shop.svc.cluster.local:3001',
      added: ['http://10.0.0.3:3001'],
      removed: ['http://10.0.0.1:3001', 'http://[fd00::7]:3001'],
      count: 2,
    });

    // The same set in another order is no change.
    dns.set(['10.0.0.3', '10.0.0.2']);
    await source.refresh();
    expect(seen).toHaveLength(2);
    await source.close();
  });

  it('makes gRPC addresses', async () => {
    const source = createDnsSource({ host: 'users', port: 50051, kind: 'grpc', resolve: fakeDns(['10.0.0.1', '::1']).resolve });
    await source.ready;
    expect(addresses(source.current())).toEqual(['10.0.0.1:50051', '[::1]:50051']);
    await source.close();
  });

  it('keeps the last good set through failures and empty answers, reporting each distinct failure once', async () => {
    const dns = fakeDns(['10.0.0.1']);
    const events: DiscoveryEvent[] = [];
    const source = createDnsSource({ host: 'users', port: 3001, kind: 'http', resolve: dns.resolve, observer: (e) => events.push(e) });
    await source.ready;
    dns.set(errno('ETIMEOUT'));
    for (let i = 0; i < 5; i++) await source.refresh();
    dns.set(errno('ENOTFOUND'));
    await source.refresh();
    await source.refresh();
    dns.set([]);
    await source.refresh();
    expect(addresses(source.current())).toEqual(['http://10.0.0.1:3001']);
    expect(events.filter((e) => e.type === 'resolve-failed')).toEqual([
      { type: 'resolve-failed', source: 'dns users:3001', error: 'ETIMEOUT', kept: 1 },
      { type: 'resolve-failed', source: 'dns users:3001', error: 'ENOTFOUND', kept: 1 },
      { type: 'resolve-failed', source: 'dns users:3001', error: 'no addresses', kept: 1 },
    ]);
    dns.set(['10.0.0.1', '10.0.0.2']);
    await source.refresh();
    expect(events.slice(-2).map((e) => e.type)).toEqual(['resolve-recovered', 'instances-changed']);
    // After a recovery the same failure is news again.
    dns.set(errno('ETIMEOUT'));
    await source.refresh();
    expect(events.at(-1)).toMatchObject({ type: 'resolve-failed', error: 'ETIMEOUT', kept: 2 });
    await source.close();
  });

  it('starts empty when the first resolution fails, and settles ready anyway', async () => {
    const source = createDnsSource({ host: 'users', port: 3001, kind: 'http', resolve: fakeDns(errno('ENOTFOUND')).resolve });
    await source.ready;
    expect(source.current()).toEqual([]);
    await source.close();
  });

  it('re-resolves every intervalMs, and stops when closed', async () => {
    vi.useFakeTimers();
    const dns = fakeDns(['10.0.0.1']);
    const source = createDnsSource({ host: 'users', port: 3001, kind: 'http', intervalMs: 1000, resolve: dns.resolve });
    await source.ready;
    dns.set(['10.0.0.1', '10.0.0.2']);
    await vi.advanceTimersByTimeAsync(999);
    expect(dns.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(dns.asked).toHaveLength(2);
    expect(source.current()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3000);
    expect(dns.asked).toHaveLength(5);
    await source.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(dns.asked).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('joins a refresh under way instead of starting a second', async () => {
    const dns = fakeDns(['10.0.0.1']);
    const source = createDnsSource({ host: 'users', port: 3001, kind: 'http', resolve: dns.resolve });
    await Promise.all([source.refresh(), source.refresh(), source.ready]);
    expect(dns.asked).toHaveLength(1);
    await source.close();
  });

  it('rejects a bad host, port or interval', () => {
    const resolve = fakeDns([]).resolve;
    expect(() => createDnsSource({ host: 'http://users', port: 1, kind: 'http', resolve })).toThrow("DNS discovery: 'http://users' is not a host name");
    expect(() => createDnsSource({ host: 'users', port: 70000, kind: 'http', resolve })).toThrow('DNS discovery of users: port 70000 is not 1-65535');
    expect(() => createDnsSource({ host: 'users', port: 1, kind: 'http', intervalMs: 0, resolve })).toThrow('intervalMs must be positive');
  });
});
