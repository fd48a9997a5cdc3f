// Stopping when npm's wrapper is stopped. `npx meshspec dev`, `npm exec` and `npm run` start us as
// npm -> sh -c '<command>' -> node, and npm forwards SIGINT/SIGTERM to its direct child only: the
// shell. Where /bin/sh is dash (Debian, Ubuntu, most CI images) the shell does not exec the command,
// so the signal never reaches us:
//   - SIGTERM kills the shell: we are orphaned (our parent changes) and keep the ports;
//   - SIGINT is caught by the shell, which waits for us before acting on it: nothing changes but the
//     shell having woken up (its context-switch count, the one trace a caught signal leaves in /proc);
//   - SIGKILL kills npm alone: the shell is orphaned (its parent changes).
// So, only when npm started us, a timer (unref'd: it never keeps the process alive) looks for those
// three and reports the first. Where the shell execs us (bash as /bin/sh, macOS) npm's signals reach
// us directly and only the first check matters.
import { readFileSync } from 'node:fs';

/** How often the parent is looked at; a stop request is noticed within one or two of these. */
export const PARENT_CHECK_MS = 250;

/** Shells npm may run its command through (`script-shell`); any other parent gets the parent check only. */
const SHELLS = new Set(['sh', 'dash', 'bash', 'ash', 'busybox', 'ksh', 'mksh', 'zsh']);

interface ProcStatus {
  name: string;
  ppid: number;
  wakeups: number;
}

/**
 * Calls `onStop` once, with the reason, when the npm command that started this process is stopped
 * or gone (see the comment at the top of this file). Does nothing unless npm started us
 * (`npm_lifecycle_event` is set). Returns a function that stops watching.
 */
export function watchNpmParent(onStop: (reason: string) => void, env: NodeJS.ProcessEnv = process.env): () => void {
  const parent = process.ppid;
  if (!env['npm_lifecycle_event'] || parent <= 1) return () => undefined;
  const shell = waitingShell(parent);

  // A job-control stop and continue (Ctrl-Z, fg) also wakes the shell (SIGCHLD): a SIGCONT here
  // explains the wake-ups, so a change is only believed one check later, when no SIGCONT came.
  let continued = false;
  let suspect = false;
  const onContinue = () => (continued = true);
  if (shell) process.on('SIGCONT', onContinue);

  const stop = () => {
    clearInterval(timer);
    process.off('SIGCONT', onContinue);
  };
  const report = (reason: string) => {
    stop();
    onStop(reason);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) return report('the npm command that started this process has exited');
    if (!shell) return;
    const now = readStatus(parent);
    if (!now || now.ppid !== shell.ppid) return report('the npm command that started this process was killed');
    if (continued) {
      continued = suspect = false;
      shell.wakeups = now.wakeups;
    } else if (now.wakeups !== shell.wakeups) {
      if (suspect) return report("npm's shell received a signal (npm passes SIGINT/SIGTERM to it, not to this process)");
      suspect = true;
    }
  }, PARENT_CHECK_MS);
  timer.unref();
  return stop;
}

/**
 * The parent's status when it is a shell waiting for this process alone, so that its waking up
 * can only mean a signal (or our own stop/continue); otherwise null (no /proc: not Linux).
 */
function waitingShell(pid: number): ProcStatus | null {
  const status = readStatus(pid);
  if (!status || !SHELLS.has(status.name)) return null;
  try {
    // A shell with other children (`a & meshspec dev`) also wakes when they exit.
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return children.length === 1 && children[0] === String(process.pid) ? status : null;
  } catch {
    return null;
  }
}

function readStatus(pid: number): ProcStatus | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(text)?.[1];
  const name = field('Name');
  const ppid = Number(field('PPid'));
  const wakeups = Number(field('voluntary_ctxt_switches'));
  if (name === undefined || !Number.isInteger(ppid) || !Number.isInteger(wakeups)) return null;
  return { name, ppid, wakeups };
}

/**
 * Calls `onStop` once when the process named by `MESH_SUPERVISOR_PID` is no longer our parent (it
 * died, even by SIGKILL, and we were re-parented): `meshspec dev --processes` sets it on the
 * services and the gateway it starts, so none outlives it holding its port. Does nothing when the
 * variable is unset or is not our parent's pid. Returns a function that stops watching.
 *
 * @param onStop called with the reason
 * @param env the environment; default `process.env`
 * @example
 * const unwatch = watchSupervisor((reason) => shutdown(reason));
 */
export function watchSupervisor(onStop: (reason: string) => void, env: NodeJS.ProcessEnv = process.env): () => void {
  const supervisor = Number(env['MESH_SUPERVISOR_PID']);
  if (!Number.isInteger(supervisor) || supervisor <= 1 || process.ppid !== supervisor) return () => undefined;
  const timer = setInterval(() => {
    if (process.ppid === supervisor) return;
    clearInterval(timer);
    onStop(`its supervisor (pid ${supervisor}) is gone`);
  }, PARENT_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
