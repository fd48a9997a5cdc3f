// Hooks of the `stock` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { StockHandlers } from '../generated/stock/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: StockHandlers = {
  // GET /items/{sku}: GetItemInput -> Item; errors: NotFound
  async getItem(_input, _ctx) {
    throw new NotImplemented('stock.getItem');
  },

  // POST /takes: Take -> Item; errors: NotEnough, NotFound
  async take(_input, _ctx) {
    throw new NotImplemented('stock.take');
  },
};
