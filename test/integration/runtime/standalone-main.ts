// A service process as generated/<service>/main.ts starts it (spawned by standalone.test.ts).
import { runMain } from '../../support/runtime.js';
import { usersHost } from './fixtures.js';

await runMain(usersHost(), { bodyLimitBytes: 1024, shutdownGraceMs: 2000 });
