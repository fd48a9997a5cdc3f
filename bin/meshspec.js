#!/usr/bin/env node
// The meshspec command. The generator, the runtime and the generated code are TypeScript, run
// through tsx's loader so that no build step stands between editing the spec and running the stack.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../generator/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
