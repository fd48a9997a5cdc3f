// Watches the spec and hooks folders for `meshspec dev --watch`, one fs.watch per folder (a new
// folder gets its own). Not fs.watch's `recursive`: on Linux, Node 20 emulates it with a watcher per
// file, which goes deaf once an editor saves by renaming a new file over the old one (as vim, sed -i
// and the generator's own writes do); a folder's watcher sees every name in it. Editors save in bursts (a
// temporary file, a rename, a second write): events are gathered until none came for `debounceMs`,
// editors' temporary files are ignored, and a file whose bytes are what they were (a save without
// an edit, or meshspec's own write of a hook stub) is no change at all.
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The files of a batch, absolute paths, each one whose content differs from the last batch's, and
 * when the first event of the batch came (performance.now()): the save a reload is timed from.
 */
export type ChangeHandler = (files: string[], since: number) => void;

export interface FolderWatcher {
  /** Takes the current bytes of these files as known (the generator just wrote them): no change reported for them. */
  acknowledge(files: readonly string[]): Promise<void>;
  close(): void;
}

/** Editors' swap, backup and temporary files, and hidden files (the generator's own temporaries). */
export function isEditorTemporary(file: string): boolean {
  const name = path.basename(file);
  return (
    name.startsWith('.') ||
    name.startsWith('#') ||
    name.endsWith('~') ||
    /\.(swp|swx|swo|tmp|bak|crswap)$/i.test(name) ||
    /___jb_(tmp|old|bak)___$/.test(name) ||
    /^\d+$/.test(name) // vim's write test file (4913)
  );
}

/**
 * Watches `folders` (absolute) and calls `onChange` with the files that changed once edits pause.
 *
 * @param folders - the folders to watch, recursively; a missing one is skipped
 * @param onChange - called with the changed files (never while a previous call's batch is being gathered)
 * @param debounceMs - quiet time before a batch is reported
 * @example
 * const watcher = await watchFolders(['/app/spec', '/app/hooks'], (files) => console.log(files), 80);
 */
export async function watchFolders(folders: readonly string[], onChange: ChangeHandler, debounceMs: number): Promise<FolderWatcher> {
  const known = new Map<string, string | null>();
  for (const folder of folders) for (const file of await filesBelow(folder)) known.set(file, await digestOf(file));
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let since = 0;

  const flush = async () => {
    const files = [...pending];
    const first = since;
    pending.clear();
    const changed: string[] = [];
    for (const file of files) {
      const now = await digestOf(file);
      if (now === (known.get(file) ?? null)) continue;
      known.set(file, now);
      changed.push(file);
    }
    if (changed.length > 0) onChange(changed.sort(), first);
  };

  const watchers = new Map<string, FSWatcher>();
  const onEvent = (folder: string, name: string | Buffer | null) => {
    if (!name) return;
    const file = path.join(folder, name.toString());
    if (isEditorTemporary(file)) return;
    // A folder created (or moved in) since: watched from now on, with the files already in it.
    void watchTree(file).then((added) => added.forEach(queue));
    queue(file);
  };
  const queue = (file: string) => {
    if (pending.size === 0) since = performance.now();
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), debounceMs);
  };
  /** Watches `folder` and the folders below it not watched yet; the files found in newly watched folders. */
  const watchTree = async (folder: string): Promise<string[]> => {
    if (watchers.has(folder)) return [];
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (_event, name) => onEvent(folder, name));
    } catch {
      return []; // not a folder, or gone already
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
    const found: string[] = [];
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory()) found.push(...(await watchTree(child)));
      else if (entry.isFile() && !isEditorTemporary(child)) found.push(child);
    }
    return found;
  };
  for (const folder of folders) await watchTree(folder);

  return {
    async acknowledge(files) {
      for (const file of files) known.set(file, await digestOf(file));
    },
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
    },
  };
}

/** The file's SHA-1, or null when it is missing or a folder. */
async function digestOf(file: string): Promise<string | null> {
  try {
    return createHash('sha1').update(await readFile(file)).digest('hex');
  } catch {
    return null;
  }
}

async function filesBelow(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile() && !isEditorTemporary(e.name)).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
