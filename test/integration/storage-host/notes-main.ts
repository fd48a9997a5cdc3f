// The notes service as its own process, as generated/<service>/main.ts starts it (spawned by
// production.test.ts): its database comes from the environment.
import { runMain } from '../../support/runtime.js';
import { notesHost } from './fixtures.js';

await runMain(notesHost(), { bodyLimitBytes: 65_536, shutdownGraceMs: 2000 });
