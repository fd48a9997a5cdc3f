// The dashboard's HTTP server: checks every request (Host, then for a POST its type, origin and
// size), routes it to the data API or the page's files, and turns every refusal into
// `{ "error": { "code", "message" } }`. It computes nothing itself: `api` answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type {
  Catalog, DeadLetterList, EventsView, ExplorerAnswer, ExplorerRequest, Overview, ReplayAnswer, ReplayRequest,
  SagaDetail, SagaList, Topology, TraceDetail, TraceList,
} from './api-types.js';
import { apiSchemas } from './api-schemas.js';
import { readJsonBody } from './body.js';
import { deadLetterFilterOf, replayRequestOf } from './dead-letters.js';
import { explorerRequestOf } from './explorer.js';
import { ApiProblem, problemOf, sendJson } from './problem.js';
import { intParam, sagaQueryOf } from './sagas.js';
import { checkHost, checkPost } from './security.js';
import { serveStatic } from './static.js';

/** Traces a list answers by default. */
export const DEFAULT_TRACE_LIMIT = 50;
/** Traces a list answers at most. */
export const MAX_TRACE_LIMIT = 500;

/**
 * What answers each route (index.ts makes it from the running stack and the sources).
 *
 * @example
 * const server = createDashboardServer({ api, pageDir, origins: () => ownOrigins(port) });
 */
export interface DashboardApi {
  overview(): Overview;
  catalog(): Catalog;
  topology(): Promise<Topology>;
  traces(limit: number): TraceList;
  trace(traceId: string): TraceDetail | undefined;
  events(): EventsView;
  deadLetters(filter: { service?: string; event?: string; limit: number }): DeadLetterList;
  replay(request: ReplayRequest): Promise<ReplayAnswer>;
  sagas(query: { state?: string; limit: number }): Promise<SagaList>;
  saga(owner: string, id: string): Promise<SagaDetail>;
  explore(request: ExplorerRequest): Promise<ExplorerAnswer>;
  /** Keeps `res` as a server-sent events stream. */
  stream(res: ServerResponse): void;
}

/**
 * How the server is set up.
 *
 * @example
 * const settings: DashboardServerSettings = { api, pageDir: DEFAULT_PAGE_DIR, origins: () => ownOrigins(9400) };
 */
export interface DashboardServerSettings {
  readonly api: DashboardApi;
  /** The page's folder. */
  readonly pageDir: string;
  /** The dashboard's own origins (known once it listens). */
  readonly origins: () => ReadonlySet<string>;
  /** Told of an answer that failed inside (a 500); default silent. */
  readonly logger?: Logger | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: readonly string[]) => Promise<void> | void;
interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, Handler>>;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * The routes of the data API, by path pattern then method.
 *
 * @param api - what answers
 * @example
 * const table = apiRoutes(api);
 */
function apiRoutes(api: DashboardApi): readonly Route[] {
  const get = (answer: (url: URL, params: readonly string[]) => unknown): Readonly<Record<string, Handler>> => {
    const handler: Handler = async (_req, res, url, params) => sendJson(res, 200, await answer(url, params));
    return { GET: handler, HEAD: handler };
  };
  return [
    { pattern: /^\/api\/overview$/, methods: get(() => api.overview()) },
    { pattern: /^\/api\/catalog$/, methods: get(() => api.catalog()) },
    { pattern: /^\/api\/topology$/, methods: get(() => api.topology()) },
    { pattern: /^\/api\/traces$/, methods: get((url) => api.traces(intParam(url.searchParams, 'limit', DEFAULT_TRACE_LIMIT, MAX_TRACE_LIMIT))) },
    {
      pattern: /^\/api\/traces\/([^/]+)$/,
      methods: get((_url, [id]) => {
        if (!TRACE_ID.test(id!)) throw new ApiProblem(400, 'bad_trace_id', 'a trace id is 32 lowercase hexadecimal digits');
        const trace = api.trace(id!);
        if (!trace) throw new ApiProblem(404, 'unknown_trace', `no trace ${id} (never seen, or dropped for newer ones)`);
        return trace;
      }),
    },
    { pattern: /^\/api\/events$/, methods: get(() => api.events()) },
    { pattern: /^\/api\/dead-letters$/, methods: get((url) => api.deadLetters(deadLetterFilterOf(url.searchParams))) },
    {
      pattern: /^\/api\/dead-letters\/replay$/,
      methods: {
        POST: async (req, res) => {
          const request = replayRequestOf(await readJsonBody(req), api.catalog().services.map((s) => s.name));
          sendJson(res, 200, await api.replay(request));
        },
      },
    },
    { pattern: /^\/api\/sagas$/, methods: get((url) => api.sagas(sagaQueryOf(url.searchParams))) },
    { pattern: /^\/api\/sagas\/([^/]+)\/([^/]+)$/, methods: get((_url, [owner, id]) => api.saga(owner!, id!)) },
    {
      pattern: /^\/api\/explorer\/call$/,
      methods: { POST: async (req, res) => sendJson(res, 200, await api.explore(explorerRequestOf(await readJsonBody(req)))) },
    },
    { pattern: /^\/api\/stream$/, methods: { GET: (_req, res) => api.stream(res) } },
    { pattern: /^\/api\/schemas$/, methods: get(() => apiSchemas) },
  ];
}

/**
 * Makes the dashboard's HTTP server (not yet listening).
 *
 * @param settings - the API, the page's folder, the dashboard's origins
 * @example
 * const server = createDashboardServer({ api, pageDir, origins: () => ownOrigins(port) });
 * server.listen(9400, '127.0.0.1');
 */
export function createDashboardServer(settings: DashboardServerSettings): Server {
  const routes = apiRoutes(settings.api);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const { status, body, headers } = problemOf(err);
      if (status >= 500 && !(err instanceof ApiProblem)) settings.logger?.error({ err, url: req.url?.slice(0, 200) }, 'dashboard request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A refused upload is not drained: the connection closes after the answer.
      sendJson(res, status, body, status === 413 ? { ...headers, connection: 'close' } : headers);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkHost(req);
    // Origin-form only (`/path?query`): an absolute or `//host` target names no file or route here.
    const target = req.url ?? '/';
    if (!target.startsWith('/') || target.startsWith('//')) throw new ApiProblem(400, 'bad_path', 'the request target must be a path');
    const url = new URL(target, 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        const handler = route.methods[method];
        if (!handler) {
          const allow = Object.keys(route.methods).join(', ');
          throw new ApiProblem(405, 'method_not_allowed', `${url.pathname} takes ${allow}`, { allow });
        }
        if (method === 'POST') checkPost(req, settings.origins());
        const params = match.slice(1).map((part) => {
          try {
            return decodeURIComponent(part);
          } catch {
            throw new ApiProblem(400, 'bad_path', 'the path has a malformed percent-encoding');
          }
        });
        await handler(req, res, url, params);
        return;
      }
      throw new ApiProblem(404, 'not_found', `no route ${url.pathname.slice(0, 100)} (the routes are listed in the dashboard's README)`);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new ApiProblem(405, 'method_not_allowed', 'the page takes GET, HEAD', { allow: 'GET, HEAD' });
    await serveStatic(res, settings.pageDir, url.pathname, method === 'HEAD');
  }

  return server;
}
