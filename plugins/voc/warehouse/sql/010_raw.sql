-- raw: one table per source entity, as extracted, partitioned logically by business_date
-- (Asia/Shanghai calendar day). A load replaces one (table, business_date) partition in one transaction.
-- Free text is redacted before it lands: personal data never reaches the warehouse in clear.
create schema if not exists raw;

create table if not exists raw.crm_conversations (
    business_date   date not null,
    conversation_id text not null,
    channel         text not null,
    customer_id     text not null,
    agent_id        text not null,
    started_at      timestamptz not null,
    ended_at        timestamptz not null,
    updated_at      timestamptz not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, conversation_id)
);
create table if not exists raw.crm_turns (
    business_date   date not null,
    conversation_id text not null,
    turn_no         integer not null,
    speaker         text not null,
    spoken_at       timestamptz not null,
    text            text not null,
    pii_count       integer not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, conversation_id, turn_no)
);
create table if not exists raw.ticketing_tickets (
    business_date   date not null,
    ticket_id       text not null,
    customer_id     text not null,
    channel         text not null,
    category        text not null,
    priority        text not null,
    branch_id       text not null,
    title           text not null,
    body            text not null,
    pii_count       integer not null,
    status          text not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, ticket_id)
);
create table if not exists raw.ticketing_ticket_events (
    business_date   date not null,
    ticket_id       text not null,
    event_seq       integer not null,
    status          text not null,
    event_at        timestamptz not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, ticket_id, event_seq)
);
create table if not exists raw.survey_responses (
    business_date   date not null,
    response_id     text not null,
    customer_id     text not null,
    survey_type     text not null,
    score           integer not null,
    comment         text not null,
    pii_count       integer not null,
    channel         text not null,
    submitted_at    timestamptz not null,
    source_file     text not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, response_id)
);
create table if not exists raw.corebank_customers (
    business_date   date not null,
    customer_id     text not null,
    tier            text not null,
    segment         text not null,
    branch_id       text not null,
    rm_id           text not null,
    opened_on       date not null,
    updated_at      timestamptz not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, customer_id)
);
create table if not exists raw.corebank_aum_daily (
    business_date   date not null,
    customer_id     text not null,
    product_type    text not null,
    aum             numeric(18, 2) not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, customer_id, product_type)
);
-- holdings land on the business dates they were opened and closed on (not as a daily snapshot of every open one)
create table if not exists raw.corebank_holdings (
    business_date   date not null,
    holding_id      text not null,
    customer_id     text not null,
    product_code    text not null,
    product_type    text not null,
    opened_at       timestamptz not null,
    closed_at       timestamptz,
    amount          numeric(18, 2) not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, holding_id)
);
create table if not exists raw.corebank_churn_events (
    business_date   date not null,
    event_id        text not null,
    customer_id     text not null,
    event_type      text not null,
    occurred_at     timestamptz not null,
    aum_before      numeric(18, 2) not null,
    aum_after       numeric(18, 2) not null,
    _loaded_at      timestamptz not null default now(),
    primary key (business_date, event_id)
);
