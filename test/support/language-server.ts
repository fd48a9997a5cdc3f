// A minimal Language Server Protocol client over stdio, for tests that drive a real language server
// (yaml-language-server) as an editor would: JSON-RPC messages framed by `Content-Length` headers,
// requests with bounded timeouts, server requests answered, notifications waited for by content.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Settings sections the client answers `workspace/configuration` with (`yaml`, `http`, ...). */
export type Settings = Record<string, unknown>;

interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

interface Notification {
  method: string;
  params: unknown;
}

export interface LanguageServer {
  process: ChildProcess;
  /** Sends a request and resolves with its result; rejects on an error answer or after `timeoutMs`. */
  request<T = unknown>(method: string, params: unknown, timeoutMs?: number): Promise<T>;
  notify(method: string, params: unknown): void;
  /** Resolves with the params of the first notification (seen already or to come) that `accept` takes. */
  waitForNotification<T = unknown>(method: string, accept: (params: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves when the server has sent a request of this method (e.g. its `workspace/configuration` pull). */
  waitForRequest(method: string, timeoutMs?: number): Promise<void>;
  /** stderr so far, for failure messages. */
  stderr(): string;
  /** `shutdown`, `exit`, then SIGKILL if the process is still alive after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The `yaml-language-server` command installed in node_modules, as its package.json names it. */
export function yamlLanguageServerBin(): string {
  const manifest = require.resolve('yaml-language-server/package.json');
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin['yaml-language-server']!);
}

/** Starts `yaml-language-server --stdio`; `settings` answers its configuration pulls. */
export function startYamlLanguageServer(settings: Settings, cwd: string): LanguageServer {
  const child = spawn(process.execPath, [yamlLanguageServerBin(), '--stdio'], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  // Writes to a server that has exited fail with EPIPE; the exit itself is what callers see.
  child.stdin!.on('error', () => {});
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const notifications: Notification[] = [];
  const requestsSeen: string[] = [];
  const listeners = new Set<() => void>();
  // A server that dies fails its pending requests at once rather than at their timeouts.
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`language server exited; stderr:\n${stderr}`));
    pending.clear();
  });

  const send = (message: Message) => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin!.write(body);
  };

  // The server's own requests: configuration from `settings`, everything else (capability
  // registration, progress tokens) acknowledged with null, as a plain editor would.
  const answer = (message: Message) => {
    requestsSeen.push(message.method!);
    let result: unknown = null;
    if (message.method === 'workspace/configuration') {
      const { items } = message.params as { items: { section?: string }[] };
      result = items.map((item) => (item.section !== undefined ? (settings[item.section] ?? null) : null));
    }
    send({ jsonrpc: '2.0', id: message.id!, result });
  };

  const dispatch = (message: Message) => {
    if (message.method !== undefined && message.id !== undefined) answer(message);
    else if (message.method !== undefined) notifications.push({ method: message.method, params: message.params });
    else if (typeof message.id === 'number' && pending.has(message.id)) {
      const waiter = pending.get(message.id)!;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
    for (const listener of listeners) listener();
  };

  // Framing: `Content-Length: N\r\n...\r\n\r\n` then N bytes of JSON; chunks may split or join messages.
  let buffer = Buffer.alloc(0);
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'));
      if (!length) throw new Error(`language server sent a header without Content-Length: ${buffer.subarray(0, headerEnd)}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (buffer.length < end) return;
      const body = buffer.subarray(start, end).toString('utf8');
      buffer = buffer.subarray(end);
      dispatch(JSON.parse(body) as Message);
    }
  });

  /** Resolves when `check` returns a value other than undefined; rejects with `what` after `timeoutMs`. */
  const until = <T>(check: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(value);
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr:\n${stderr}`));
      }, timeoutMs);
      listeners.add(listener);
      listener();
    });

  const notify = (method: string, params: unknown) => send({ jsonrpc: '2.0', method, params });
  const request = <T>(method: string, params: unknown, timeoutMs = 10_000) => {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the answer to ${method}; server stderr:\n${stderr}`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      send({ jsonrpc: '2.0', id, method, params });
    });
  };

  return {
    process: child,
    stderr: () => stderr,
    notify,
    request,
    waitForNotification<T>(method: string, accept: (params: T) => boolean, timeoutMs = 10_000) {
      return until(
        () => notifications.find((n) => n.method === method && accept(n.params as T))?.params as T | undefined,
        `a ${method} notification`,
        timeoutMs,
      );
    },
    async waitForRequest(method, timeoutMs = 10_000) {
      await until(() => (requestsSeen.includes(method) ? true : undefined), `a ${method} request`, timeoutMs);
    },
    async stop(timeoutMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await request('shutdown', null, timeoutMs);
        notify('exit', null);
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      clearTimeout(timer);
    },
  };
}
