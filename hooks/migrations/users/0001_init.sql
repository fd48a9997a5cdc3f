-- Migrations of the `users` database: every `.sql` file of this folder, applied in
-- file-name order when the service starts (0001_init.sql, 0002_add_status.sql, ...). Each file
-- runs once, in its own transaction, and is recorded in the table meshspec_migrations: a failing
-- file applies nothing and stops the start-up. Never edit a file once it has been applied
-- anywhere (the service refuses to start when an applied file changed): add the next one instead.
--
-- meshspec created this file once and never overwrites it. The same SQL runs on PostgreSQL and on
-- the embedded PGlite of `meshspec dev` and the tests.

create table users (
  id         text primary key,
  email      text not null unique,                -- stored lower-cased: one account per address
  name       text not null check (length(name) between 1 and 100),
  created_at timestamptz not null default now()
);
