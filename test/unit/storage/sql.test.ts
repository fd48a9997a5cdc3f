// The `sql` tag and the error mapping, without a database.
import { describe, expect, it } from 'vitest';
import { Unavailable } from '../../../runtime/errors/index.js';
import { DatabaseError, MAX_DATABASE_MESSAGE_CHARS, sql, SqlQuery } from '../../../runtime/storage/index.js';
import { storageError } from '../../../runtime/storage/errors.js';

describe('sql', () => {
  it('turns every interpolation into a numbered parameter, whatever it contains', () => {
    const id = "1; drop table users; --";
    const query = sql`select * from users where id = ${id} and age > ${30} and tags @> ${['a']}`;
    expect(query.text).toBe('select * from users where id = $1 and age > $2 and tags @> $3');
    expect(query.values).toEqual([id, 30, ['a']]);
    expect(sql`select 1`.text).toBe('select 1');
    expect(sql`select 1`.values).toEqual([]);
  });

  it('splices nested fragments with their parameters renumbered in order', () => {
    const status = sql`and status = ${'paid'}`;
    const none = sql``;
    const query = sql`select * from orders where customer = ${'c1'} ${status} ${none} and total > ${10} ${sql`limit ${5}`}`;
    expect(query.text).toBe('select * from orders where customer = $1 and status = $2  and total > $3 limit $4');
    expect(query.values).toEqual(['c1', 'paid', 10, 5]);
  });

  it('leaves a `$1` written in the text alone (a fragment is spliced by position, not by rewriting text)', () => {
    const inner = sql`and note <> '$1' and id = ${'x'}`;
    const query = sql`select ${'a'} ${inner}`;
    expect(query.text).toBe("select $1 and note <> '$1' and id = $2");
  });

  it('refuses to be called as a plain function, and gives a copy of its values', () => {
    expect(() => (sql as unknown as (s: string[]) => SqlQuery)(['select * from users'])).toThrow(/template tag/);
    const query = sql`select ${1}`;
    query.values.push(2);
    expect(query.values).toEqual([1]);
  });
});

describe('storageError', () => {
  it('makes an unreachable database Unavailable, naming the service only, the driver text kept as cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' });
    for (const err of [
      refused,
      new AggregateError([refused, refused], ''),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('the database system is shutting down'), { code: '57P01' }),
      Object.assign(new Error('password authentication failed for user "shop"'), { code: '28P01' }),
      Object.assign(new Error('database "shop" does not exist'), { code: '3D000' }),
    ]) {
      const mapped = storageError(err, 'orders');
      expect(mapped).toBeInstanceOf(Unavailable);
      expect((mapped as Error).message).toBe('the orders database is unavailable');
      expect((mapped as Error).cause).toBe(err);
    }
  });

  it('keeps a refused statement as a DatabaseError with its SQLSTATE and fields, its message bounded', () => {
    const err = Object.assign(new Error(`duplicate key value violates unique constraint "users_email_key" ${'x'.repeat(2000)}`), {
      code: '23505',
      constraint: 'users_email_key',
      table: 'users',
      detail: 'Key (email)=(a@example.com) already exists.',
    });
    const mapped = storageError(err, 'orders') as DatabaseError;
    expect(mapped).toBeInstanceOf(DatabaseError);
    expect(mapped).toMatchObject({ code: '23505', constraint: 'users_email_key', table: 'users', database: 'orders' });
    expect(mapped.message.length).toBeLessThanOrEqual(MAX_DATABASE_MESSAGE_CHARS + 40);
    expect(mapped.message).toMatch(/^orders database: duplicate key value violates unique constraint "users_email_key" x+… \(SQLSTATE 23505\)$/);
  });

  it('leaves any other error as it was', () => {
    const own = new TypeError('not a database error');
    expect(storageError(own, 'orders')).toBe(own);
  });
});
