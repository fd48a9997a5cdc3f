// In a service with storage, the idempotency record of a keyed request and of an event hook's
// `ctx.once` lives in the service's database and commits in one transaction with what the hook
// wrote (through `ctx.db`, which joins that transaction) and published (through the outbox):
// a hook that fails leaves nothing behind and its retry runs again; a hook that succeeded, or
// answered with a declared error, is never run again for the same key or event.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { eventually } from '../../support/processes.js';
import { Conflict, createLogger, InternalError, startService, type EventContext, type EventEnvelope, type HandlerContext, type StorageContext } from '../../support/runtime.js';
import { enginesUnderTest, type EngineUnderTest } from '../storage/engines.js';
import { notesHost, notesSettings } from './fixtures.js';

const engines = await enginesUnderTest();

type Note = { id: string; body: string };
type Ctx = HandlerContext<Record<string, never>, { 'note.created': Note }> & StorageContext;

/** How often each hook body ran, by note id. */
type Runs = Map<string, number>;

/**
 * `notes` whose createNote writes through `ctx.db` without a transaction of its own and publishes
 * `note.created`; a body `fail-once` throws an undeclared error on its first run, `taken` answers
 * the declared Conflict after writing. It also subscribes `copyNote` to `note.copied`: through
 * `ctx.once`, it writes a copy and fails its first run when the body says `fail-once`.
 */
function keyedNotes(runs: Runs) {
  const base = notesHost();
  const [create, get] = base.definition.endpoints;
  const definition = {
    ...base.definition,
    endpoints: [{ ...create!, errors: { Conflict: { status: 409, grpc: 'ALREADY_EXISTS' as const } } }, get!],
    publishes: ['note.created'],
    subscriptions: [{ event: 'note.copied', handler: 'copyNote', maxAttempts: 5 }],
  };
  const count = (id: string) => {
    const n = (runs.get(id) ?? 0) + 1;
    runs.set(id, n);
    return n;
  };
  const handlers = {
    ...(base.handlers as Record<string, unknown>),
    async createNote(input: Note, ctx: Ctx): Promise<Note> {
      const run = count(input.id);
      if (input.body === 'nested') {
        // The hook's own transaction inside the keyed request's: a savepoint, undone alone.
        await ctx.db.transaction(async (tx) => {
          await tx.query(sql`insert into notes (id, body) values (${`${input.id}:undone`}, ${input.body})`);
          throw new Error('undo the savepoint');
        }).catch(() => undefined);
        await ctx.db.transaction((tx) => tx.query(sql`insert into notes (id, body) values (${input.id}, ${input.body})`));
        return input;
      }
      await ctx.db.query(sql`insert into notes (id, body) values (${input.id}, ${input.body})`);
      await ctx.publish('note.created', input);
      if (input.body === 'fail-once' && run === 1) throw new Error('the first run fails after writing');
      if (input.body === 'taken') throw new Conflict(`note ${input.id} is taken`);
      return input;
    },
  };
  const subscriptions = {
    async copyNote(note: Note, ctx: EventContext & StorageContext): Promise<void> {
      await ctx.once(async () => {
        const run = count(`copy:${note.id}`);
        await ctx.db.query(sql`insert into notes (id, body) values (${`copy:${note.id}`}, ${note.body})`);
        if (note.body === 'fail-once' && run === 1) throw new InternalError('the first delivery fails after writing');
      });
    },
  };
  return {
    ...base,
    definition,
    handlers,
    subscriptions,
    events: { 'note.created': { payload: 'Note', version: 1 }, 'note.copied': { payload: 'Note', version: 1 } },
  };
}

const count = async (db: Database, query: ReturnType<typeof sql>) => Number((await db.query<{ n: string }>(query)).rows[0]!.n);
const notesLike = (db: Database, id: string) => count(db, sql`select count(*)::text as n from notes where id = ${id}`);
const outboxRows = (db: Database, id: string) => count(db, sql`select count(*)::text as n from meshspec_outbox where envelope::text like ${`%"${id}"%`}`);
const doneKeys = (db: Database, like: string) => count(db, sql`select count(*)::text as n from meshspec_idempotency where key like ${like} and state = 'done'`);

async function post(port: number, note: Note, key: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(note) });
  return { status: res.status, body: await res.json() };
}

describe.each(engines)('idempotency records in the service\'s database on $engine', (engine: EngineUnderTest) => {
  afterAll(() => engine.cleanup());

  it.skipIf(!engine.available)('a keyed request that fails leaves no row, event or key; its retry runs once and its repeats replay the answer', async () => {
    const db = await engine.open();
    const logger = createLogger({ service: 'notes', level: 'silent' });
    const settings = notesSettings(logger, db);
    const heard: string[] = [];
    await settings.bus.subscribe('note.created', 'test', async (envelope: EventEnvelope) => void heard.push((envelope.payload as Note).id));
    const runs: Runs = new Map();
    const service = await startService(keyedNotes(runs), settings);
    try {
      const note = { id: `n-${randomUUID()}`, body: 'fail-once' };
      expect((await post(service.httpPort, note, 'k-1')).status).toBe(500);
      // Rolled back together: the row, the outbox row and the claim on the key.
      expect(await notesLike(db, note.id)).toBe(0);
      expect(await outboxRows(db, note.id)).toBe(0);
      expect(await doneKeys(db, '%k-1')).toBe(0);

      expect(await post(service.httpPort, note, 'k-1')).toEqual({ status: 201, body: note });
      expect(await post(service.httpPort, note, 'k-1')).toEqual({ status: 201, body: note });
      expect(runs.get(note.id)).toBe(2);
      expect(await notesLike(db, note.id)).toBe(1);
      expect(await doneKeys(db, 'notes:@request:createNote:%k-1')).toBe(1);
      await eventually(async () => heard.includes(note.id), 5_000);
      expect(heard.filter((id) => id === note.id)).toHaveLength(1);
    } finally {
      await service.close();
    }
  });

  it.skipIf(!engine.available)('a hook\'s own ctx.db.transaction inside a keyed request is a savepoint of its transaction', async () => {
    const db = await engine.open();
    const logger = createLogger({ service: 'notes', level: 'silent' });
    const runs: Runs = new Map();
    const service = await startService(keyedNotes(runs), notesSettings(logger, db));
    try {
      const note = { id: `n-${randomUUID()}`, body: 'nested' };
      expect(await post(service.httpPort, note, 'k-nested')).toEqual({ status: 201, body: note });
      expect(await notesLike(db, note.id)).toBe(1);
      expect(await notesLike(db, `${note.id}:undone`)).toBe(0);
    } finally {
      await service.close();
    }
  });

  it.skipIf(!engine.available)('a declared error is an answer: its writes commit and a repeat gets the same error without running the hook', async () => {
    const db = await engine.open();
    const logger = createLogger({ service: 'notes', level: 'silent' });
    const runs: Runs = new Map();
    const service = await startService(keyedNotes(runs), notesSettings(logger, db));
    try {
      const note = { id: `n-${randomUUID()}`, body: 'taken' };
      const first = await post(service.httpPort, note, 'k-taken');
      expect(first.status).toBe(409);
      const repeat = await post(service.httpPort, note, 'k-taken');
      expect(repeat.status).toBe(409);
      expect(repeat.body.error).toMatchObject({ code: 'Conflict', message: first.body.error.message });
      expect(runs.get(note.id)).toBe(1);
      expect(await notesLike(db, note.id)).toBe(1);
    } finally {
      await service.close();
    }
  });

  it.skipIf(!engine.available)('ctx.once in an event hook: a failed delivery leaves nothing, the redelivery writes once, a duplicate event writes nothing', async () => {
    const db = await engine.open();
    const logger = createLogger({ service: 'notes', level: 'silent' });
    const settings = notesSettings(logger, db);
    const runs: Runs = new Map();
    const service = await startService(keyedNotes(runs), settings);
    try {
      const note = { id: `e-${randomUUID()}`, body: 'fail-once' };
      const envelope: EventEnvelope = { id: randomUUID(), event: 'note.copied', version: 1, source: 'test', time: new Date().toISOString(), payload: note };
      await settings.bus.publish(envelope);
      await eventually(async () => (await doneKeys(db, `notes:copyNote:${envelope.id}`)) === 1, 10_000);
      expect(runs.get(`copy:${note.id}`)).toBe(2);
      expect(await notesLike(db, `copy:${note.id}`)).toBe(1);

      // The same event again (a redelivery after a lost ack): the record says done, nothing runs.
      await settings.bus.publish(envelope);
      const other = { id: `e-${randomUUID()}`, body: 'after' };
      await settings.bus.publish({ ...envelope, id: randomUUID(), payload: other });
      await eventually(async () => (await notesLike(db, `copy:${other.id}`)) === 1, 10_000);
      expect(runs.get(`copy:${note.id}`)).toBe(2);
      expect(await notesLike(db, `copy:${note.id}`)).toBe(1);
    } finally {
      await service.close();
    }
  });
});

describe('ctx.db in hooks', () => {
  it('refuses close: the host closes the database after the last request', async () => {
    const [engine] = engines.filter((e) => e.engine === 'pglite');
    const db = await engine!.open();
    const logger = createLogger({ service: 'notes', level: 'silent' });
    let refusal: unknown;
    const host = notesHost();
    const handlers = {
      ...(host.handlers as Record<string, unknown>),
      async getNote(input: { id: string }, ctx: Ctx) {
        refusal = await ctx.db.close().then(() => 'closed', (err: Error) => err.message);
        return { id: input.id, body: String(await ctx.db.ping()) };
      },
    };
    const service = await startService({ ...host, handlers }, notesSettings(logger, db));
    try {
      const res = await fetch(`http://127.0.0.1:${service.httpPort}/notes/x`);
      expect(await res.json()).toEqual({ id: 'x', body: 'true' });
      expect(refusal).toMatch(/ctx\.db\.close\(\) is refused/);
    } finally {
      await service.close();
      await engine!.cleanup();
    }
  });
});
