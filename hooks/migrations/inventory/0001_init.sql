-- Migrations of the `inventory` database: every `.sql` file of this folder, applied in
-- file-name order when the service starts (0001_init.sql, 0002_add_status.sql, ...). Each file
-- runs once, in its own transaction, and is recorded in the table meshspec_migrations: a failing
-- file applies nothing and stops the start-up. Never edit a file once it has been applied
-- anywhere (the service refuses to start when an applied file changed): add the next one instead.
--
-- meshspec created this file once and never overwrites it. The same SQL runs on PostgreSQL and on
-- the embedded PGlite of `meshspec dev` and the tests.

create table products (
  id          text primary key,
  name        text not null,
  price_cents integer not null check (price_cents >= 0),
  available   integer not null check (available >= 0)   -- never oversold: a reserve that would go below 0 fails
);

create table reservations (
  order_id   text primary key,                    -- one reservation per order: a retried reserve finds it
  state      text not null default 'held' check (state in ('held', 'committed', 'released')),
  created_at timestamptz not null default now()
);

create table reservation_items (
  order_id         text not null references reservations (order_id),
  product_id       text not null references products (id),
  quantity         integer not null check (quantity > 0),
  unit_price_cents integer not null check (unit_price_cents >= 0),
  primary key (order_id, product_id)
);

-- The shop's catalogue.
insert into products (id, name, price_cents, available) values
  ('sku-keyboard', 'Mechanical keyboard', 4990, 10),
  ('sku-mouse', 'Wireless mouse', 1950, 25),
  ('sku-monitor', '27" monitor', 18900, 3);
