// A PostgreSQL that cannot be reached: nobody listening, a server that accepts and never answers,
// connections cut under the pool (idle and inside a transaction), the database gone and back. Calls
// reject quickly with Unavailable naming the service's database (never its address or password),
// ping says false, nothing crashes the process, and the same Database works again once the database
// is back. The database is reached through a forwarding gate this file opens and closes; the
// server itself is never stopped.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Unavailable } from '../../../runtime/errors/index.js';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import { ADMIN_URL, createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from './engines.js';

const postgresUp = await postgresAvailable();
const opened: Database[] = [];

function database(url: string, options: { connectionTimeoutMs?: number } = {}): Database {
  const db = createPgDatabase({ name: 'orders', url, ...options });
  opened.push(db);
  return db;
}

afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
});

/** A port on 127.0.0.1 that nothing listens on (taken from the OS, then released). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Rejection of `promise`, and how long it took to come. */
async function rejectionOf(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

function expectUnavailableWithoutAddress(error: unknown, ...secrets: string[]): void {
  expect(error).toBeInstanceOf(Unavailable);
  const body = JSON.stringify((error as InstanceType<typeof Unavailable>).toBody('req-1'));
  expect(body).toBe('{"error":{"code":"Unavailable","message":"the orders database is unavailable","requestId":"req-1"}}');
  for (const secret of secrets) expect((error as Error).message).not.toContain(secret);
}

/** Forwards 127.0.0.1:<port> to PostgreSQL while open; closing it cuts every connection and refuses new ones. */
class Gate {
  #server: net.Server | undefined;
  readonly #sockets = new Set<net.Socket>();
  port = 0;

  async open(): Promise<void> {
    const target = new URL(ADMIN_URL);
    this.#server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        this.#sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => (b.destroy(), this.#sockets.delete(a)));
      }
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  /** Cuts the connections through the gate, as a database restart would; new ones still pass. */
  cut(): void {
    this.#sockets.forEach((s) => s.destroy());
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

describe('an unreachable PostgreSQL', () => {
  it('rejects queries and transactions with Unavailable within about 2 s when nobody listens, and pings false', async () => {
    const port = await deadPort();
    const db = database(`postgres://postgres:s3cret-pass@127.0.0.1:${port}/shop`);
    const query = await rejectionOf(db.query(sql`select ${1}`));
    expectUnavailableWithoutAddress(query.error, String(port), '127.0.0.1', 's3cret-pass', 'shop');
    expect(query.ms).toBeLessThan(2500);
    const work = await rejectionOf(db.transaction(async (tx) => tx.query('select 1')));
    expectUnavailableWithoutAddress(work.error, String(port));
    expect(await db.ping()).toBe(false);
  });

  it('gives up on a server that accepts and never answers after connectionTimeoutMs', async () => {
    const accepted: net.Socket[] = [];
    const silent = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const db = database(`postgres://postgres@127.0.0.1:${port}/shop`, { connectionTimeoutMs: 500 });
      const query = await rejectionOf(db.query('select 1'));
      expectUnavailableWithoutAddress(query.error, String(port));
      expect(query.ms).toBeGreaterThanOrEqual(400);
      expect(query.ms).toBeLessThan(3000);
      expect(await db.ping()).toBe(false);
    } finally {
      accepted.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe.skipIf(!postgresUp)('a PostgreSQL that goes away and comes back', () => {
  let scratch: ThrowawayDatabase;
  const gate = new Gate();

  beforeAll(async () => {
    scratch = await createThrowawayDatabase();
    await gate.open();
  });

  afterAll(async () => {
    await gate.close();
    await Promise.all(opened.splice(0).map((db) => db.close()));
    await scratch?.drop();
  });

  function throughGate(): Database {
    const url = new URL(scratch.url);
    url.host = `127.0.0.1:${gate.port}`;
    return database(url.toString(), { connectionTimeoutMs: 1000 });
  }

  it('survives connections cut while idle and inside a transaction, and goes on with new ones', async () => {
    const db = throughGate();
    await db.query('create table if not exists notes (id int primary key)');
    await Promise.all(Array.from({ length: 4 }, (_, i) => db.query(sql`select ${i}::int`))); // several idle connections
    gate.cut(); // idle connections die: the pool's error events must not end the process
    const inTransaction = db.transaction(async (tx) => {
      await tx.query(sql`insert into notes values (${1})`);
      gate.cut();
      await tx.query(sql`insert into notes values (${2})`);
    });
    const { error } = await rejectionOf(inTransaction);
    expectUnavailableWithoutAddress(error, String(gate.port));
    expect((await db.query<{ n: string }>('select count(*) as n from notes')).rows).toEqual([{ n: '0' }]);
    expect(await db.ping()).toBe(true);
  });

  it('answers Unavailable while the database is gone and recovers by itself when it is back', async () => {
    const db = throughGate();
    expect(await db.ping()).toBe(true);
    await gate.close();
    const down = await rejectionOf(db.query('select 1'));
    expectUnavailableWithoutAddress(down.error, String(gate.port));
    expect(down.ms).toBeLessThan(2500);
    expect(await db.ping()).toBe(false);
    await gate.open();
    expect(await db.ping()).toBe(true);
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await db.transaction(async (tx) => {
      await tx.query('select 1');
    });
  });
});
