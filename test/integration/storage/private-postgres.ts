// A private PostgreSQL server for tests that stop and restart their database: its own data folder
// and free port, from this machine's PostgreSQL binaries, stopped by its process id; never the
// shared server. Run as root (this machine), the server runs as the `postgres` user (PostgreSQL
// refuses root) through setpriv, which execs it: the child's pid is the server's.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../../support/processes.js';

/** The newest installed PostgreSQL's bin folder, if any (Debian layout). */
export const POSTGRES_BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
})();

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth). */
  readonly url: string;
  /** Starts the server (again, same data and port) and resolves once it accepts queries. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT), resolved once the process has exited. */
  stop(): Promise<void>;
  /** Stops it if running and deletes its folder. */
  destroy(): Promise<void>;
}

/**
 * Creates (initdb) and starts a private PostgreSQL.
 *
 * @example
 * const server = await startPrivatePostgres();
 * await server.stop(); await server.start(); // a database restart
 * await server.destroy();
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!POSTGRES_BIN) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const dir = await mkdtemp(path.join(tmpdir(), 'meshspec-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const as = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]] : [command, args];
  if (asRoot) {
    const { uid, gid } = postgresUser();
    await chown(dir, uid, gid);
  }
  const [initCommand, initArgs] = as(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.slice(0, 500)}`);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const [command, args] = as(path.join(POSTGRES_BIN!, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
    const child = spawn(command, args, { stdio: 'ignore' });
    server = child;
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('select 1');
        return;
      } catch (err) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the private PostgreSQL did not start: ${(err as Error).message}`);
        await sleep(100);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  };
  const stop = async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGINT');
      await exited;
    }
  };
  await start();
  return {
    url,
    start,
    stop,
    destroy: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}
