// Hooks of the `stalls` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { StallsHandlers } from '../generated/stalls/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: StallsHandlers = {
  // GET /stalls: ListStallsInput -> Stall[]
  async listStalls(_input, _ctx) {
    throw new NotImplemented('stalls.listStalls');
  },
};
