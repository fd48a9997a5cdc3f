// The npm scripts of a meshspec project. `test` is what CI runs: the type-check, the check that
// generated/ matches the spec, then the project's own tests.

/** Script name -> command, in the order they are added to package.json. */
export const projectScripts: Readonly<Record<string, string>> = {
  dev: 'meshspec dev',
  generate: 'meshspec generate',
  typecheck: 'tsc --noEmit',
  test: 'npm run typecheck && meshspec generate --check && vitest run',
  // generated/ and hooks/ as JavaScript in build/, with the protos and migrations they read: what
  // the image runs (`node build/generated/main.js <workload>`, generated/Dockerfile).
  build: 'meshspec build',
};

/**
 * What the next steps show for a script the project kept with another command: the same work,
 * spelled out, since `npm run <name>` would run the project's own.
 */
export const scriptsSpelledOut: Readonly<Record<string, string>> = {
  dev: 'npx meshspec dev',
  test: 'npx tsc --noEmit && npx meshspec generate --check && npx vitest run',
};

/** The tools the scripts run besides meshspec, at the ranges meshspec itself is developed with. */
export const projectDevTools = ['@types/node', 'typescript', 'vitest'] as const;
