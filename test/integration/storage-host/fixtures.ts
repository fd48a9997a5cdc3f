// A hand-written service with storage, standing in for generated code: `notes` writes and reads its
// rows through `ctx.db`, its migrations in ./migrations. Plus helpers to start it and call it.
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createLogger, createMemoryBus, NotFound, type HandlerContext, type HostSettings, type SchemaRegistry, type ServiceDefinition, type ServiceHostOptions, type StorageContext } from '../../support/runtime.js';
import { testEndpoint, type EndpointSketch } from '../../support/endpoint.js';
import { sql } from '../../../runtime/storage/index.js';

/** The migrations every test of this folder starts from (one file: `notes`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

const record = (properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties });

const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/storage-host',
  $defs: {
    Note: record({ id: { type: 'string', minLength: 1 }, body: { type: 'string' } }),
    GetNoteInput: record({ id: { type: 'string', minLength: 1 } }),
  },
};

const endpoint = (e: EndpointSketch) => testEndpoint(e, { output: { type: 'Note', list: false }, grpcRequest: null, grpcResponse: 'note' });

const definition: ServiceDefinition = {
  mesh: 'test',
  name: 'notes',
  version: '1.0.0',
  ports: { http: 0, grpc: null },
  endpoints: [
    endpoint({ name: 'createNote', method: 'POST', path: '/notes', input: 'Note', inputSource: 'body', successStatus: 201 }),
    endpoint({ name: 'getNote', method: 'GET', path: '/notes/{id}', input: 'GetNoteInput', errors: { NotFound: { status: 404, grpc: 'NOT_FOUND' } } }),
  ],
  subscriptions: [],
  publishes: [],
  calls: [],
  proto: null,
};

/** The context a generated `NotesContext` would be: a service with storage has a typed `ctx.db`. */
type NotesContext = HandlerContext & StorageContext;
type Note = { id: string; body: string };

const makeHandlers = (insideWrite: () => Promise<void>) => ({
  async createNote(input: Note, ctx: NotesContext): Promise<Note> {
    await ctx.db.transaction(async (tx) => {
      await tx.query(sql`insert into notes (id, body) values (${input.id}, ${input.body})`);
      await insideWrite();
    });
    return input;
  },
  async getNote(input: { id: string }, ctx: NotesContext): Promise<Note> {
    const { rows } = await ctx.db.query<Note>(sql`select id, body from notes where id = ${input.id}`);
    if (!rows[0]) throw new NotFound(`no note ${input.id}`);
    return rows[0];
  },
});

/**
 * The `notes` host with storage.
 *
 * @param migrationsDir - default MIGRATIONS_DIR
 * @param insideWrite - awaited inside createNote's transaction, after its insert (default: nothing to wait for)
 * @example
 * const service = await startService(notesHost(), notesSettings(logger, db));
 */
export function notesHost(migrationsDir: string = MIGRATIONS_DIR, insideWrite: () => Promise<void> = async () => undefined): ServiceHostOptions {
  return { definition, handlers: makeHandlers(insideWrite), schemas, events: {}, callees: {}, createClients: () => ({}), storage: { migrationsDir } };
}

/**
 * The same service declaring no storage (its hooks would fail on `ctx.db`).
 *
 * @example
 * const host = notesWithoutStorage();
 */
export function notesWithoutStorage(): ServiceHostOptions {
  const { storage: _storage, ...rest } = notesHost();
  return rest;
}

/**
 * Host settings for a test: any free port on loopback, a memory bus, `database` as given.
 *
 * @example
 * const settings = notesSettings(quietLogger(), db);
 */
export function notesSettings(logger: Logger, database: HostSettings['database'], overrides: Partial<HostSettings> = {}): HostSettings {
  return { bodyLimitBytes: 65_536, shutdownGraceMs: 2000, httpPort: 0, host: '127.0.0.1', bus: createMemoryBus({ logger }), logger, database, ...overrides };
}

/**
 * A logger that keeps its lines (JSON objects) for assertions.
 *
 * @example
 * const { logger, lines } = captureLogger();
 */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'notes', level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

/**
 * Calls the service over HTTP: status and parsed body.
 *
 * @example
 * const { status, body } = await call(port, 'POST', '/notes', { id: 'n-1', body: 'hi' });
 */
export async function call(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
