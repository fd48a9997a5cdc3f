// What the engines' errors become. A database that cannot be reached is the runtime's `Unavailable`
// (503, retryable) with a message naming the service's database only; the driver's text, which may
// hold a host and port, stays in `cause` for the logs. A statement the database refused is a
// DatabaseError keeping its SQLSTATE, so a hook can turn a unique violation into a Conflict.
import { boundText, Unavailable } from '../errors/index.js';

/** Longest text of the database's own message kept in a DatabaseError (the rest is cut with `…`). */
export const MAX_DATABASE_MESSAGE_CHARS = 300;

/**
 * SQLSTATE codes a hook commonly handles (PostgreSQL's appendix A), by name.
 *
 * @example
 * if (isDatabaseError(err, SQLSTATE.uniqueViolation)) throw new Conflict('that email is taken');
 */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  notNullViolation: '23502',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  queryCanceled: '57014',
  inFailedTransaction: '25P02',
} as const;

/**
 * Fields of a DatabaseError besides its message.
 *
 * @example
 * const fields: DatabaseErrorFields = { code: SQLSTATE.uniqueViolation, constraint: 'users_email_key' };
 */
export interface DatabaseErrorFields {
  /** SQLSTATE, e.g. `23505`. */
  readonly code: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  /** The database's detail line (may quote values: for logs), bounded. */
  readonly detail?: string;
  /** 1-based character position in the statement the error points at, when the database gave one. */
  readonly position?: number;
}

/**
 * A statement the database refused (a constraint, a syntax error, a serialization failure). Not a
 * MeshError: unhandled it answers 500 `Internal` without its text; a hook maps the codes it expects.
 *
 * @param database - the service's database name (see Database.name)
 * @param message - the database's message (bounded to MAX_DATABASE_MESSAGE_CHARS)
 * @param fields - the SQLSTATE `code` and what else the database said
 * @example
 * try { await db.query(sql`insert into users (email) values (${email})`); }
 * catch (err) { if (isDatabaseError(err, SQLSTATE.uniqueViolation)) throw new Conflict('email taken'); throw err; }
 */
export class DatabaseError extends Error {
  readonly code: string;
  readonly database: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly detail?: string;
  readonly position?: number;

  constructor(database: string, message: string, fields: DatabaseErrorFields, options?: { cause?: unknown }) {
    super(`${database} database: ${boundText(message, MAX_DATABASE_MESSAGE_CHARS)} (SQLSTATE ${fields.code})`, options);
    this.name = 'DatabaseError';
    this.database = database;
    this.code = fields.code;
    if (fields.constraint !== undefined) this.constraint = fields.constraint;
    if (fields.table !== undefined) this.table = fields.table;
    if (fields.column !== undefined) this.column = fields.column;
    if (fields.detail !== undefined) this.detail = boundText(fields.detail, MAX_DATABASE_MESSAGE_CHARS);
    if (fields.position !== undefined) this.position = fields.position;
  }
}

/**
 * True when `err` is a DatabaseError, and (when given) has SQLSTATE `code`.
 *
 * @param err - anything caught
 * @param code - a SQLSTATE such as SQLSTATE.uniqueViolation; any code when left out
 * @example
 * if (isDatabaseError(err, SQLSTATE.serializationFailure)) return retry();
 */
export function isDatabaseError(err: unknown, code?: string): err is DatabaseError {
  return err instanceof DatabaseError && (code === undefined || err.code === code);
}

/**
 * Using the API in a way that cannot work: a query on a transaction that has ended, or on the
 * database (or an enclosing transaction) from inside a transaction's callback. A bug in the caller.
 *
 * @param message - what was done and what to do instead
 * @example
 * throw new TransactionMisuse('this transaction has ended: ...');
 */
export class TransactionMisuse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransactionMisuse';
  }
}

// Node's socket errors, and SQLSTATEs meaning "this database cannot serve you now": connection
// exceptions (class 08), shutdown and start-up (57P01-57P03), too many connections, an unknown
// database or a refused login (a misconfiguration the caller cannot fix either: 503, logged).
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|3D000|28...)$/;
// `pg` reports a lost or timed-out connection, and a closed pool, in its message only; PGlite a closed instance.
const UNAVAILABLE_MESSAGE = /connection terminated|timeout exceeded when trying to connect|connection error|not queryable|after calling end on the pool|pglite is closed/i;

/**
 * The error a caller sees for an error the engine raised: `Unavailable` when the database cannot be
 * reached, a DatabaseError when it refused the statement, else `err` unchanged.
 *
 * @param err - what the driver threw
 * @param database - the service's database name
 * @example
 * try { return await pool.query(text, values); } catch (err) { throw storageError(err, 'orders'); }
 */
export function storageError(err: unknown, database: string): unknown {
  if (err instanceof DatabaseError || err instanceof TransactionMisuse || err instanceof Unavailable) return err;
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) that all refused as one AggregateError.
  if (err instanceof AggregateError && err.errors.some((e) => storageError(e, database) instanceof Unavailable)) {
    return new Unavailable(`the ${database} database is unavailable`, undefined, { cause: err });
  }
  const fields = (err ?? {}) as { code?: unknown; message?: unknown; constraint?: unknown; table?: unknown; column?: unknown; detail?: unknown; position?: unknown; name?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(err);
  if ((code !== undefined && (UNREACHABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code))) || (code === undefined && UNAVAILABLE_MESSAGE.test(message))) {
    return new Unavailable(`the ${database} database is unavailable`, undefined, { cause: err });
  }
  if (fields.name === 'TransactionAbortedError') {
    return new DatabaseError(database, 'the transaction was rolled back at commit: a statement in it had failed', { code: SQLSTATE.inFailedTransaction }, { cause: err });
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    const position = Number(fields.position);
    return new DatabaseError(
      database,
      message,
      {
        code,
        ...(typeof fields.constraint === 'string' ? { constraint: fields.constraint } : {}),
        ...(typeof fields.table === 'string' ? { table: fields.table } : {}),
        ...(typeof fields.column === 'string' ? { column: fields.column } : {}),
        ...(typeof fields.detail === 'string' ? { detail: fields.detail } : {}),
        ...(Number.isInteger(position) && position > 0 ? { position } : {}),
      },
      { cause: err },
    );
  }
  return err;
}
