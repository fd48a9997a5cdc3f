import path from 'node:path';
import { defineConfig } from 'vitest/config';

const runtime = path.resolve(import.meta.dirname, 'runtime');

export default defineConfig({
  resolve: {
    // The runtime's package subpaths resolve to its sources here, as tsconfig.json's paths say for tsc and tsx.
    alias: [
      { find: /^meshspec\/runtime$/, replacement: path.join(runtime, 'index.ts') },
      { find: /^meshspec\/runtime\/idempotency\/redis$/, replacement: path.join(runtime, 'idempotency', 'redis.ts') },
      { find: /^meshspec\/runtime\/([a-z]+(?:\/[a-z]+)?)$/, replacement: path.join(runtime, '$1', 'index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every server a test starts takes a free port, so files run side by side, and beside `npm start`.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
