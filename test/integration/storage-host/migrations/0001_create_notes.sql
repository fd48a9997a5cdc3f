create table notes (
  id text primary key,
  body text not null,
  created_at timestamptz not null default now()
);
