// CPU time of PostgreSQL backends when the server runs on this machine, read from /proc (Linux): the
// outbox moves work into the database (an extra insert, the relay's select and update), which the
// benchmark process's own process.cpuUsage() never sees. Only the backends serving the benchmark's own
// database are counted (other work may share the server); Redis is one shared process, so it is left out.
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux the project targets). */
const TICKS_PER_SECOND = 100;

/**
 * CPU ticks (user + system) per process id of the processes named in `commands`.
 *
 * @example
 * const sample: CpuSample = new Map([[2217, 1234]]);
 */
export type CpuSample = Map<number, number>;

/**
 * Samples the CPU ticks of every process whose command name is in `commands`; null off Linux.
 *
 * @param commands - process names as /proc/<pid>/stat gives them; default postgres
 * @example
 * const before = await sampleServerCpu();
 * // ... work ...
 * const us = serverCpuSince(before, await sampleServerCpu()); // µs, or null off Linux
 */
export async function sampleServerCpu(commands: readonly string[] = ['postgres']): Promise<CpuSample | null> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return null;
  }
  const sample: CpuSample = new Map();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
      if (stat === null) return; // exited meanwhile
      // "pid (comm) state ppid ..." — comm may hold spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!commands.includes(comm)) return;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after "pid (comm)".
      sample.set(Number(pid), Number(fields[11]) + Number(fields[12]));
    }),
  );
  return sample;
}

/**
 * µs of server CPU between two samples: processes started in between count whole, processes that
 * ended in between are missed (a pool keeps its connections for the whole round).
 *
 * @param before - the earlier sample (null: unknown)
 * @param after - the later sample (null: unknown)
 * @param only - the process ids to count (e.g. the backends of one database); default all sampled
 * @returns µs, or null when either sample is missing
 * @example
 * const us = serverCpuSince(before, after, new Set([4242, 4243]));
 */
export function serverCpuSince(before: CpuSample | null, after: CpuSample | null, only?: ReadonlySet<number>): number | null {
  if (before === null || after === null) return null;
  let ticks = 0;
  for (const [pid, now] of after) if (!only || only.has(pid)) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1e6) / TICKS_PER_SECOND;
}
