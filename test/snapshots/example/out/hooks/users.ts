// Hooks of the `users` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { UsersHandlers } from '../generated/users/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: UsersHandlers = {
  // POST /users: CreateUser -> User; errors: EmailTaken
  async createUser(input, ctx) {
    throw new NotImplemented('users.createUser');
  },

  // DELETE /users/{id}: DeleteUserInput -> no content; errors: NotFound
  async deleteUser(input, ctx) {
    throw new NotImplemented('users.deleteUser');
  },

  // GET /users/{id}: GetUserInput -> User; errors: NotFound
  async getUser(input, ctx) {
    throw new NotImplemented('users.getUser');
  },

  // GET /users: ListUsersInput -> User[]
  async listUsers(input, ctx) {
    throw new NotImplemented('users.listUsers');
  },
};
