-- Migrations of the `orders` database: every `.sql` file of this folder, applied in
-- file-name order when the service starts (0001_init.sql, 0002_add_status.sql, ...). Each file
-- runs once, in its own transaction, and is recorded in the table meshspec_migrations: a failing
-- file applies nothing and stops the start-up. Never edit a file once it has been applied
-- anywhere (the service refuses to start when an applied file changed): add the next one instead.
--
-- meshspec created this file once and never overwrites it. The same SQL runs on PostgreSQL and on
-- the embedded PGlite of `meshspec dev` and the tests.

create table orders (
  id          text primary key,
  user_id     text not null,                      -- the users service's id: another database, no foreign key
  items       jsonb not null,                     -- [{ productId, quantity, unitPrice }] as reserved
  total_cents integer not null check (total_cents >= 0),
  status      text not null default 'pending' check (status in ('pending', 'confirmed', 'failed', 'cancelled')),
  created_at  timestamptz not null default now()
);
create index orders_by_user on orders (user_id);
