// Names a new project takes from its folder: the npm package name and the mesh name.

/** An npm package name from a folder name: lowercase, URL-safe, `meshspec-project` when nothing is left. */
export function packageNameFor(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 214);
  return name === '' ? 'meshspec-project' : name;
}

/**
 * A mesh name from a folder name: what the spec language allows (lowercase letters and digits,
 * starting with a letter, at most 40), `mesh` when nothing is left. `My Shop 2` -> `myshop2`.
 */
export function meshNameFor(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^[0-9]+/, '')
    .slice(0, 40);
  return name === '' ? 'mesh' : name;
}
