// Hooks of the `books` service: the code behind its endpoints, events and extra routes.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { BooksHandlers, BooksSubscriptions, BooksRoutes } from '../../build/gen/books/handlers.js';
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

// Routes the spec does not describe (webhooks, file uploads, a legacy path), mounted beside the
// endpoints. Each gets the raw request, its body unread, and the context the endpoint hooks get.
// The endpoints win: a route on the method and path of an endpoint, or on /health or /ready,
// stops the service at startup. Extra routes are not in the OpenAPI document. For example:
//
//   {
//     method: 'POST',
//     path: '/webhooks/{provider}',
//     async handle(req, res, params, ctx) {
//       const chunks: Buffer[] = [];
//       for await (const chunk of req) chunks.push(chunk as Buffer);
//       const body = Buffer.concat(chunks);
//       ctx.logger.info({ provider: params.provider, bytes: body.length }, 'webhook received');
//       res.writeHead(204).end();
//     },
//   },
export const routes: BooksRoutes = [];
