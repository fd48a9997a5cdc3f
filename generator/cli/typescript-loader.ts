// `meshspec dev` imports the project's TypeScript (generated/stack.ts and the hooks it loads). From
// meshspec's sources the CLI already runs under tsx; the compiled CLI registers tsx only here, so
// that the other commands start without a TypeScript loader.
const runningFromSources = import.meta.url.endsWith('.ts');
let registered = false;

/** Makes `import()` of .ts files work in this process (idempotent). */
export async function enableTypeScriptImports(): Promise<void> {
  if (runningFromSources || registered) return;
  const { register } = await import('tsx/esm/api');
  register();
  registered = true;
}
