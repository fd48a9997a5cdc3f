-- The placeOrder saga's charges (payments.charge, payments.refund): one per order, whatever its outcome,
-- so a repeated charge answers the first one instead of charging twice.
-- `voided`: a refund found no charge and left this row, so a charge arriving after it (a call abandoned
-- on its timeout, then delivered) captures nothing.
alter table payments add column source text not null default 'payment' check (source in ('payment', 'charge'));
alter table payments drop constraint payments_status_check;
alter table payments add constraint payments_status_check check (status in ('completed', 'declined', 'refunded', 'voided'));
create unique index payments_one_charge_per_order on payments (order_id) where source = 'charge';
