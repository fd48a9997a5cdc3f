/** The folders asked for cannot work (hooks inside the output, a folder outside the project): the caller's mistake, exit 2. */
export class LayoutError extends Error {}
