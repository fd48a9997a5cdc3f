// ctx.publish in a service with storage: inside the hook's transaction the event is written to the
// outbox with the row and reaches subscribers only after commit; a transaction that rolls back
// publishes nothing; a publish outside any transaction goes to the bus as before (no outbox row).
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { eventually } from '../../support/processes.js';
import { createLogger, InternalError, startService, type EventEnvelope, type HandlerContext, type StorageContext } from '../../support/runtime.js';
import { enginesUnderTest, type EngineUnderTest } from '../storage/engines.js';
import { call, notesHost, notesSettings } from './fixtures.js';

const engines = await enginesUnderTest();

type Note = { id: string; body: string };
type Ctx = HandlerContext<Record<string, never>, { 'note.created': Note }> & StorageContext;

/** `notes` publishing `note.created`: inside its transaction, unless the body says `outside`; a body `fail` rolls back after publishing. */
function publishingNotes() {
  const base = notesHost();
  const definition = { ...base.definition, publishes: ['note.created'] };
  const handlers = {
    ...(base.handlers as Record<string, unknown>),
    async createNote(input: Note, ctx: Ctx): Promise<Note> {
      if (input.body === 'outside') {
        await ctx.db.query(sql`insert into notes (id, body) values (${input.id}, ${input.body})`);
        await ctx.publish('note.created', input);
        return input;
      }
      await ctx.db.transaction(async (tx) => {
        await tx.query(sql`insert into notes (id, body) values (${input.id}, ${input.body})`);
        await ctx.publish('note.created', input);
        if (input.body === 'fail') throw new InternalError('rolled back on purpose');
      });
      return input;
    },
  };
  return { ...base, definition, handlers, events: { 'note.created': { payload: 'Note', version: 1 } } };
}

const outboxRows = async (db: Database, id: string) =>
  Number((await db.query<{ n: string }>(sql`select count(*)::text as n from meshspec_outbox where envelope::text like ${`%"${id}"%`}`)).rows[0]!.n);

describe.each(engines)('ctx.publish through the outbox on $engine', (engine: EngineUnderTest) => {
  afterAll(() => engine.cleanup());

  it.skipIf(!engine.available)('delivers a committed event after commit, never a rolled-back one, and bypasses the outbox outside a transaction', async () => {
    const db = await engine.open();
    const logger = createLogger({ service: 'notes', level: 'silent' });
    const settings = notesSettings(logger, db);
    const heard: string[] = [];
    await settings.bus.subscribe('note.created', 'test', async (envelope: EventEnvelope) => void heard.push((envelope.payload as Note).id));
    const service = await startService(publishingNotes(), settings);
    try {
      expect((await call(service.httpPort, 'POST', '/notes', { id: 'n-committed', body: 'hi' })).status).toBe(201);
      await eventually(async () => heard.includes('n-committed'), 5_000);
      expect(await outboxRows(db, 'n-committed')).toBe(1);

      expect((await call(service.httpPort, 'POST', '/notes', { id: 'n-rolled-back', body: 'fail' })).status).toBe(500);
      expect((await call(service.httpPort, 'POST', '/notes', { id: 'n-outside', body: 'outside' })).status).toBe(201);
      await eventually(async () => heard.includes('n-outside'), 5_000);
      expect(await outboxRows(db, 'n-outside')).toBe(0);
      // Past the relay's poll (1 s): the rolled-back event was never written, so never sent.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(heard).not.toContain('n-rolled-back');
      expect(await outboxRows(db, 'n-rolled-back')).toBe(0);
      expect((await call(service.httpPort, 'GET', '/notes/n-rolled-back')).status).toBe(404);
    } finally {
      await service.close();
    }
  }, 30_000);
});
