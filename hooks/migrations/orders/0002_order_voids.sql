-- Ids of orders cancelled before they existed: the placeOrder saga cancels its order when it cannot
-- tell whether orders.saveOrder took effect, and a saveOrder arriving after that (a call abandoned on
-- its timeout, then delivered) must not create a confirmed order whose payment was refunded.
create table order_voids (
  id         text primary key,
  created_at timestamptz not null default now()
);
