create table reservations (
  order_id text primary key,
  sku text not null,
  quantity integer not null
);
