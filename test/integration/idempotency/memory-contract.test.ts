// The shared contract suite against the memory store: the reference the other stores are held to.
import { describe } from 'vitest';
import { createMemoryIdempotencyStore } from '../../../runtime/idempotency/index.js';
import { idempotencyStoreContract } from './store-contract.js';

describe('memory idempotency store: the contract', () => {
  // One Map per test stands for the shared backend: both "replicas" get the same store object.
  let shared: { retentionMs: number; store: ReturnType<typeof createMemoryIdempotencyStore> } | undefined;
  idempotencyStoreContract({
    make: async ({ retentionMs }) => {
      if (shared?.retentionMs !== retentionMs) shared = { retentionMs, store: createMemoryIdempotencyStore({ retentionMs }) };
      return shared.store;
    },
  });
});
