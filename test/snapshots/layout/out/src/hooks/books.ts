// Hooks of the `books` service: the code behind its endpoints and events.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { BooksHandlers, BooksSubscriptions } from '../../build/gen/books/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: BooksHandlers = {
  // GET /books/{id}: GetBookInput -> Book; errors: NotFound
  async getBook(_input, _ctx) {
    throw new NotImplemented('books.getBook');
  },
};

export const subscriptions: BooksSubscriptions = {
  // on book.added: BookAdded
  async indexBook(_payload, _ctx) {
    throw new NotImplemented('books.indexBook');
  },
};
