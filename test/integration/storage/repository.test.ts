// One repository-level suite, run against both engines: PostgreSQL (a throwaway database on this
// machine's server) and PGlite in memory. Where the engines differ on purpose (PGlite's single
// connection), the test says which engine expects what.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Unavailable } from '../../../runtime/errors/index.js';
import { isDatabaseError, sql, SQLSTATE, TransactionMisuse, type Database, type DatabaseError } from '../../../runtime/storage/index.js';
import { enginesUnderTest } from './engines.js';

const engines = await enginesUnderTest();

interface User {
  id: string;
  email: string;
  visits: number;
}

async function usersTable(db: Database): Promise<void> {
  await db.query('create table users (id text primary key, email text not null unique, visits int not null default 0)');
}

describe.each(engines)('storage on $engine', (engine) => {
  afterAll(() => engine.cleanup());
  const test = it.skipIf(!engine.available);

  test('runs parameterised queries and returns typed rows with their counts', async () => {
    const db = await engine.open();
    await usersTable(db);
    const inserted = await db.query('insert into users (id, email) values ($1, $2), ($3, $4)', ['u1', 'a@example.com', 'u2', 'b@example.com']);
    expect(inserted.rowCount).toBe(2);
    const { rows } = await db.query<User>(sql`select id, email, visits from users where email = ${'b@example.com'}`);
    expect(rows).toEqual([{ id: 'u2', email: 'b@example.com', visits: 0 }]);
    const updated = await db.query(sql`update users set visits = visits + ${3} where id <> ${'nobody'}`);
    expect(updated.rowCount).toBe(2);
    const deleted = await db.query<{ id: string }>(sql`delete from users where id = ${'u1'} returning id`);
    expect(deleted).toEqual({ rows: [{ id: 'u1' }], rowCount: 1 });
  });

  test('sends interpolated values as parameters: SQL in a value is stored as text, never run', async () => {
    const db = await engine.open();
    await usersTable(db);
    const hostile = "x'); drop table users; --";
    await db.query(sql`insert into users (id, email) values (${hostile}, ${'c@example.com'})`);
    const { rows } = await db.query<{ id: string }>(sql`select id from users where id = ${hostile}`);
    expect(rows).toEqual([{ id: hostile }]);
    // A value in an identifier's place is a parameter too, which PostgreSQL refuses there.
    await expect(db.query(sql`select * from ${'users'}`)).rejects.toMatchObject({ code: '42601' });
  });

  test('returns the same JavaScript values on both engines', async () => {
    const db = await engine.open();
    const { rows } = await db.query(
      sql`select ${'9007199254740993'}::int8 as big, 1.50::numeric as price, '2024-02-29'::date as day, '1 day'::interval as span,
        ${'2024-01-02T03:04:05.000Z'}::timestamptz as at, ${JSON.stringify({ a: [1, 2] })}::jsonb as doc, ${Buffer.from('hi')}::bytea as bytes,
        array['x', 'y']::text[] as tags, array[1, 2]::int8[] as ids, ${true}::bool as yes, null::text as nothing, 7::int4 as small`,
    );
    expect(rows[0]).toEqual({
      big: '9007199254740993',
      price: '1.50',
      day: '2024-02-29',
      span: '1 day',
      at: new Date('2024-01-02T03:04:05.000Z'),
      doc: { a: [1, 2] },
      bytes: Buffer.from('hi'),
      tags: ['x', 'y'],
      ids: ['1', '2'],
      yes: true,
      nothing: null,
      small: 7,
    });
    expect(Buffer.isBuffer((rows[0] as { bytes: unknown }).bytes)).toBe(true);
  });

  test('commits a transaction that resolves and rolls back one that throws, rethrowing its error as is', async () => {
    const db = await engine.open();
    await usersTable(db);
    const result = await db.transaction(async (tx) => {
      await tx.query(sql`insert into users (id, email) values (${'u1'}, ${'a@example.com'})`);
      return 'kept';
    });
    expect(result).toBe('kept');
    const failure = new Error('hook failed');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(sql`insert into users (id, email) values (${'u2'}, ${'b@example.com'})`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await db.query<{ id: string }>('select id from users order by id')).rows).toEqual([{ id: 'u1' }]);
  });

  test('nests transactions as savepoints: a failed inner one is undone, the outer one commits', async () => {
    const db = await engine.open();
    await usersTable(db);
    await db.transaction(async (tx) => {
      await tx.query(sql`insert into users (id, email) values (${'outer'}, ${'o@example.com'})`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.query(sql`insert into users (id, email) values (${'inner'}, ${'i@example.com'})`);
          await inner.query(sql`insert into users (id, email) values (${'dup'}, ${'o@example.com'})`);
        }),
      ).rejects.toMatchObject({ code: SQLSTATE.uniqueViolation });
      await tx.transaction(async (inner) => {
        await inner.query(sql`insert into users (id, email) values (${'second'}, ${'s@example.com'})`);
      });
    });
    expect((await db.query<{ id: string }>('select id from users order by id')).rows.map((r) => r.id)).toEqual(['outer', 'second']);
  });

  test('calls after-commit callbacks only for what committed', async () => {
    const db = await engine.open();
    const calls: string[] = [];
    await db.transaction(async (tx) => {
      tx.afterCommit(() => calls.push('outer'));
      await tx.transaction(async (inner) => {
        inner.afterCommit(() => calls.push('kept savepoint'));
      });
      await tx
        .transaction(async (inner) => {
          inner.afterCommit(() => calls.push('undone savepoint'));
          throw new Error('undo');
        })
        .catch(() => undefined);
      tx.afterCommit(() => {
        throw new Error('a failing callback does not fail the commit');
      });
      expect(calls).toEqual([]);
    });
    await db
      .transaction(async (tx) => {
        tx.afterCommit(() => calls.push('rolled back'));
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(calls).toEqual(['outer', 'kept savepoint']);
  });

  test('gives concurrent read-modify-write transactions (FOR UPDATE) the right total', async () => {
    const db = await engine.open({ poolSize: 5 });
    await db.query('create table counters (name text primary key, value int not null)');
    await db.query(sql`insert into counters values (${'orders'}, ${0})`);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = (await tx.query<{ value: number }>(sql`select value from counters where name = ${'orders'} for update`)).rows;
          await sleep(2); // let the others run in between, where they can
          await tx.query(sql`update counters set value = ${row!.value + 1} where name = ${'orders'}`);
        }),
      ),
    );
    expect((await db.query<{ value: number }>('select value from counters')).rows).toEqual([{ value: 20 }]);
  });

  test('keeps a query outside a transaction out of it: PGlite makes it wait for the commit, PostgreSQL answers at once', async () => {
    const db = await engine.open();
    await usersTable(db);
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query(sql`insert into users (id, email) values (${'u1'}, ${'a@example.com'})`);
      inserted();
      await held;
    });
    await insertedOnce;
    const outside = db.query<{ n: string }>('select count(*) as n from users');
    const settledEarly = await Promise.race([outside.then(() => true), sleep(200).then(() => false)]);
    releaseTransaction();
    await transaction;
    const { rows } = await outside;
    if (engine.engine === 'pglite') {
      expect(settledEarly).toBe(false);
      expect(rows).toEqual([{ n: '1' }]);
    } else {
      expect(settledEarly).toBe(true);
      expect(rows).toEqual([{ n: '0' }]);
    }
  });

  test('serializable: PostgreSQL refuses one of two transactions that would skew (40001), PGlite runs them one after the other', async () => {
    const db = await engine.open({ poolSize: 4 });
    await db.query('create table doctors (name text primary key, on_call bool not null)');
    await db.query("insert into doctors values ('alice', true), ('bob', true)");
    let arrived = 0;
    // Each waits (briefly) for the other to have read, so that on PostgreSQL both read before either writes.
    const bothRead = async () => {
      arrived++;
      for (let i = 0; i < 30 && arrived < 2; i++) await sleep(10);
    };
    const goOffCall = (name: string) =>
      db.transaction(
        async (tx) => {
          const [row] = (await tx.query<{ n: number }>('select count(*)::int as n from doctors where on_call')).rows;
          await bothRead();
          if (row!.n >= 2) await tx.query(sql`update doctors set on_call = false where name = ${name}`);
        },
        { isolation: 'serializable' },
      );
    const outcomes = await Promise.allSettled([goOffCall('alice'), goOffCall('bob')]);
    const onCall = (await db.query<{ n: number }>('select count(*)::int as n from doctors where on_call')).rows[0]!.n;
    expect(onCall).toBe(1);
    if (engine.engine === 'pg') {
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: SQLSTATE.serializationFailure });
    } else {
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    }
    await expect(db.transaction(async () => 1, { isolation: 'snapshot' as never })).rejects.toThrow(/^unknown isolation level 'snapshot'/);
  });

  it.runIf(engine.available && engine.engine === 'pglite')('never interleaves the statements of two concurrent transactions on PGlite', async () => {
    const db = await engine.open();
    await db.query('create table steps (seq serial primary key, tx text not null)');
    const run = (name: string) =>
      db.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) {
          await tx.query(sql`insert into steps (tx) values (${name})`);
          await sleep(1);
        }
      });
    await Promise.all([run('a'), run('b'), run('c')]);
    const order = (await db.query<{ tx: string }>('select tx from steps order by seq')).rows.map((r) => r.tx).join('');
    expect(order).toMatch(/^(a{5}|b{5}|c{5}){3}$/);
  });

  test('keeps the SQLSTATE of a unique violation, with the constraint, in a bounded message naming the database', async () => {
    const db = await engine.open();
    await usersTable(db);
    await db.query(sql`insert into users (id, email) values (${'u1'}, ${'a@example.com'})`);
    const err = (await db.query(sql`insert into users (id, email) values (${'u2'}, ${'a@example.com'})`).catch((e: unknown) => e)) as DatabaseError;
    expect(isDatabaseError(err, SQLSTATE.uniqueViolation)).toBe(true);
    expect(err.constraint).toBe('users_email_key');
    expect(err.message).toMatch(/^orders database: duplicate key value violates unique constraint "users_email_key" \(SQLSTATE 23505\)$/);
    const long = (await db.query(sql`select * from ${'x'.repeat(5000)}`).catch((e: unknown) => e)) as DatabaseError;
    expect(long.message.length).toBeLessThan(400);
  });

  test('refuses a transaction whose failed statement was caught, instead of reporting a commit', async () => {
    const db = await engine.open();
    await usersTable(db);
    await db.query(sql`insert into users (id, email) values (${'u1'}, ${'a@example.com'})`);
    await expect(
      db.transaction(async (tx) => {
        await tx.query(sql`insert into users (id, email) values (${'u2'}, ${'b@example.com'})`);
        await tx.query(sql`insert into users (id, email) values (${'u3'}, ${'a@example.com'})`).catch(() => undefined);
      }),
    ).rejects.toMatchObject({ code: SQLSTATE.inFailedTransaction });
    expect((await db.query('select id from users')).rowCount).toBe(1);
  });

  test('refuses the calls that cannot work: db inside its transaction, an ended tx, the outer tx inside a savepoint', async () => {
    const db = await engine.open();
    await expect(db.transaction(async () => db.query('select 1'))).rejects.toBeInstanceOf(TransactionMisuse);
    await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toBeInstanceOf(TransactionMisuse);
    const leaked = await db.transaction(async (tx) => tx);
    expect(() => leaked.query('select 1')).toThrow(TransactionMisuse);
    await expect(db.transaction(async (tx) => tx.transaction(async () => tx.query('select 1')))).rejects.toBeInstanceOf(TransactionMisuse);
    // After the transaction, the same async context may use the database again.
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  test('knows the transaction running in this async context', async () => {
    const db = await engine.open();
    expect(db.current()).toBeUndefined();
    await db.transaction(async (tx) => {
      expect(db.current()).toBe(tx);
      await tx.transaction(async (inner) => {
        await Promise.resolve();
        expect(db.current()).toBe(inner);
      });
      expect(db.current()).toBe(tx);
    });
    expect(db.current()).toBeUndefined();
  });

  test('pings while open; once closed, ping is false and queries are Unavailable', async () => {
    const db = await engine.open();
    expect(await db.ping()).toBe(true);
    await db.close();
    await db.close();
    expect(await db.ping()).toBe(false);
    const err = await db.query('select 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unavailable);
    expect((err as Error).message).toBe('the orders database is unavailable');
  });

  it.runIf(engine.available && engine.engine === 'pg')('ends a statement that outlives statementTimeoutMs with SQLSTATE 57014', async () => {
    const db = await engine.open({ statementTimeoutMs: 100 });
    await expect(db.query('select pg_sleep(5)')).rejects.toMatchObject({ code: SQLSTATE.queryCanceled });
    expect(await db.ping()).toBe(true);
  });
});
