// Which services a changed file belongs to: its generated folder (`generated/<service>/…`), its hook
// file (`hooks/<service>.ts`), a folder of its hooks (`hooks/<service>/…`) or its migrations
// (`hooks/migrations/<service>/…`). A hook file of no service (a helper module several hooks may
// import) belongs to every service.

/** The project's folders, project-relative with `/` (as generate's layout has them). */
export interface WatchedLayout {
  outDir: string;
  hooksDir: string;
}

/**
 * @param files - changed files, project-relative with `/`
 * @param services - the services of the mesh
 * @example
 * touchedServices(['hooks/orders.ts', 'generated/users/host.ts'], ['orders', 'users'], layout) // Set {'orders', 'users'}
 */
export function touchedServices(files: readonly string[], services: readonly string[], layout: WatchedLayout): Set<string> {
  const known = new Set(services);
  const touched = new Set<string>();
  for (const file of files) {
    const inOut = below(file, layout.outDir);
    if (inOut !== null) {
      const [folder, ...rest] = inOut.split('/');
      if (rest.length > 0 && known.has(folder!)) touched.add(folder!);
      continue;
    }
    const inHooks = below(file, layout.hooksDir);
    if (inHooks === null) continue;
    const parts = inHooks.split('/');
    const owner = parts[0] === 'migrations' && parts.length > 2 ? parts[1]! : parts.length === 1 ? parts[0]!.replace(/\.[cm]?[jt]s$/, '') : parts[0]!;
    if (known.has(owner)) touched.add(owner);
    else if (/\.[cm]?[jt]s$/.test(file)) for (const name of services) touched.add(name);
  }
  return touched;
}

/** The path inside `folder`, or null when the file is not in it. */
function below(file: string, folder: string): string | null {
  if (folder === '') return file;
  return file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : null;
}
