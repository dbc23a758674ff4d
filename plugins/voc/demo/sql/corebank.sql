-- Demo core-banking tables (database `corebank`): customers, daily AUM, holdings, churn events.
create table if not exists customers (
    customer_id  text primary key,
    tier         text not null check (tier in ('mass', 'wealth', 'private')),
    segment      text not null,              -- e.g. salaried, business_owner, retiree, young_professional
    branch_id    text not null,
    rm_id        text not null,
    opened_on    date not null,
    updated_at   timestamptz not null
);
create table if not exists aum_daily (
    customer_id  text not null references customers (customer_id),
    as_of_date   date not null,
    product_type text not null,              -- deposit, wealth, fund, insurance, gold
    aum          numeric(18, 2) not null check (aum >= 0),
    primary key (customer_id, as_of_date, product_type)
);
create table if not exists holdings (
    holding_id   text primary key,
    customer_id  text not null references customers (customer_id),
    product_code text not null,
    product_type text not null,
    opened_at    timestamptz not null,
    closed_at    timestamptz,
    amount       numeric(18, 2) not null check (amount >= 0)
);
create table if not exists churn_events (
    event_id     text primary key,
    customer_id  text not null references customers (customer_id),
    event_type   text not null check (event_type in ('account_closed', 'aum_drop')),
    occurred_at  timestamptz not null,
    aum_before   numeric(18, 2) not null,
    aum_after    numeric(18, 2) not null
);
create index if not exists aum_daily_as_of on aum_daily (as_of_date);
create index if not exists holdings_opened_at on holdings (opened_at);
create index if not exists churn_events_occurred_at on churn_events (occurred_at);
