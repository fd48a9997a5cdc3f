// PGlite opens a data folder without checking that nobody else has it open (its postmaster.pid is a
// placeholder), and two instances writing one folder corrupt it: e.g. a second `meshspec dev` in the
// same project. This lock file refuses the second opener, in this process or another one. A lock
// left by a process that died is taken over (its pid no longer runs).
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StartupError } from '../host/startup-error.js';

/** The lock file's name inside a data folder. */
export const LOCK_FILE = 'meshspec.lock';

// Folders this process holds: a pid check cannot tell two holders in one process apart.
const heldHere = new Set<string>();

/**
 * Takes `dataDir` for this process; resolves to the function that gives it back.
 *
 * @param dataDir - the database's folder (exists)
 * @param database - the service's name, for the error
 * @example
 * const release = await lockDataDir('.meshspec/data/orders', 'orders');
 * try { ... } finally { await release(); }
 */
export async function lockDataDir(dataDir: string, database: string): Promise<() => Promise<void>> {
  const folder = path.resolve(dataDir);
  const file = path.join(folder, LOCK_FILE);
  if (heldHere.has(folder)) throw inUse(database, dataDir, process.pid);
  heldHere.add(folder);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
        const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) throw inUse(database, dataDir, holder);
        await unlink(file).catch(() => undefined); // left by a process that is gone (or by this one, closed without release)
      }
    }
  } catch (err) {
    heldHere.delete(folder);
    if (err instanceof StartupError) throw err;
    throw new StartupError(`cannot lock the ${database} database folder ${dataDir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { service: database }, { cause: err });
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    heldHere.delete(folder);
    await unlink(file).catch(() => undefined);
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A PGlite data folder another opener holds: a running `meshspec dev`, a service started with
 * `MESH_DATA`, or `meshspec db` (the CLI says to stop it first).
 *
 * @param message - the line, naming the folder and the holder
 * @param database - the service's name
 * @param holder - the pid of the process that holds the folder
 * @example
 * if (err instanceof DataDirInUse) console.error(`stop process ${err.holder} first`);
 */
export class DataDirInUse extends StartupError {
  readonly holder: number;

  constructor(message: string, database: string, holder: number) {
    super(message, { service: database });
    this.name = 'DataDirInUse';
    this.holder = holder;
  }
}

function inUse(database: string, dataDir: string, pid: number): DataDirInUse {
  const who = pid === process.pid ? 'this process' : `process ${pid}`;
  return new DataDirInUse(`the ${database} database folder ${dataDir} is already open in ${who}: one process at a time may use it (is another meshspec dev running?)`, database, pid);
}
