-- Migrations of the `payments` database: every `.sql` file of this folder, applied in
-- file-name order when the service starts (0001_init.sql, 0002_add_status.sql, ...). Each file
-- runs once, in its own transaction, and is recorded in the table meshspec_migrations: a failing
-- file applies nothing and stops the start-up. Never edit a file once it has been applied
-- anywhere (the service refuses to start when an applied file changed): add the next one instead.
--
-- meshspec created this file once and never overwrites it. The same SQL runs on PostgreSQL and on
-- the embedded PGlite of `meshspec dev` and the tests.

create table payments (
  id           text primary key,
  order_id     text not null,
  amount_cents integer not null check (amount_cents >= 0),
  status       text not null check (status in ('completed', 'declined', 'refunded')),
  created_at   timestamptz not null default now()
);
-- An order is paid at most once, also when two payments for it race.
create unique index payments_one_completed_per_order on payments (order_id) where status = 'completed';
