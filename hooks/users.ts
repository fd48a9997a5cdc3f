// Hooks of the users service: the code you write. meshspec created this file once and will only
// ever add stubs to it; it never changes or deletes what is here.
// Users live in the service's database (hooks/migrations/users/): PGlite under `npm start`, PostgreSQL in production.
import { randomUUID } from 'node:crypto';
import { sql } from 'meshspec/runtime/storage';
import type { User } from '../generated/users/types.js';
import type { UsersHandlers } from '../generated/users/handlers.js';
import { EmailTaken, NotFound } from '../generated/users/errors.js';

type UserRow = { id: string; email: string; name: string; created_at: Date };
const USER_COLUMNS = sql`id, email, name, created_at`;

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at.toISOString() };
}

export const handlers: UsersHandlers = {
  async createUser(input, ctx) {
    const email = input.email.toLowerCase();
    // The row and its event commit together: user.created is sent (through the outbox) only if the user exists.
    const user = await ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<UserRow>(sql`
        insert into users (id, email, name) values (${randomUUID()}, ${email}, ${input.name})
        on conflict (email) do nothing returning ${USER_COLUMNS}`);
      if (!rows[0]) throw new EmailTaken(`${email} is already registered`);
      const user = toUser(rows[0]);
      await ctx.publish('user.created', { userId: user.id, email: user.email, name: user.name });
      return user;
    });
    ctx.logger.info({ userId: user.id }, 'user created');
    return user;
  },

  async getUser(input, ctx) {
    const { rows } = await ctx.db.query<UserRow>(sql`select ${USER_COLUMNS} from users where id = ${input.id}`);
    if (!rows[0]) throw new NotFound(`no user ${input.id}`);
    return toUser(rows[0]);
  },

  async listUsers(_input, ctx) {
    const { rows } = await ctx.db.query<UserRow>(sql`select ${USER_COLUMNS} from users order by created_at, id`);
    return rows.map(toUser);
  },

  async deleteUser(input, ctx) {
    await ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query(sql`delete from users where id = ${input.id} returning id`);
      if (!rows[0]) throw new NotFound(`no user ${input.id}`);
      // Orders listens and cancels the user's pending orders.
      await ctx.publish('user.deleted', { userId: input.id });
    });
  },
};
