#!/usr/bin/env node
// The meshspec command. Installed, it runs the compiled generator in dist/: no TypeScript loader
// at start-up, so a `generate` with nothing to do answers at once. In meshspec's own repository,
// where the TypeScript sources sit next to this file, it runs them through tsx instead, so that
// developing meshspec needs no build step.
import { existsSync } from 'node:fs';

// A reader that stops early (`meshspec events dlq list orders --json | head`) closes the pipe: stop
// quietly, as other command-line tools do, instead of a stack trace for an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const sources = new URL('../generator/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist/generator/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
