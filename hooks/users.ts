// Hooks of the users service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
import { randomUUID } from 'node:crypto';
import type { User } from '../generated/users/types.js';
import type { UsersHandlers } from '../generated/users/handlers.js';
import { EmailTaken, NotFound } from '../generated/users/errors.js';

// In-memory storage: enough for the example (databases arrive with service storage).
const users = new Map<string, User>();

export const handlers: UsersHandlers = {
  async createUser(input, ctx) {
    const email = input.email.toLowerCase();
    for (const existing of users.values()) {
      if (existing.email === email) throw new EmailTaken(`${email} is already registered`);
    }
    const user: User = { id: randomUUID(), email, name: input.name, createdAt: new Date().toISOString() };
    users.set(user.id, user);
    await ctx.publish('user.created', { userId: user.id, email: user.email, name: user.name });
    ctx.logger.info({ userId: user.id }, 'user created');
    return user;
  },

  async getUser(input) {
    const user = users.get(input.id);
    if (!user) throw new NotFound(`no user ${input.id}`);
    return user;
  },

  async listUsers() {
    return [...users.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  },

  async deleteUser(input, ctx) {
    if (!users.delete(input.id)) throw new NotFound(`no user ${input.id}`);
    // Orders listens and cancels the user's pending orders.
    await ctx.publish('user.deleted', { userId: input.id });
  },
};
