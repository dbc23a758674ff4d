-- Demo ticketing system (database `ticketing`): complaint and service tickets and their status history.
create table if not exists tickets (
    ticket_id    text primary key,
    customer_id  text not null,
    channel      text not null,             -- phone, app, branch, wecom, regulator
    category     text not null,             -- product, service, system, fee, marketing_call
    priority     text not null check (priority in ('low', 'normal', 'high', 'urgent')),
    branch_id    text not null,
    title        text not null,
    body         text not null,
    status       text not null check (status in ('open', 'responded', 'resolved', 'closed')),
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);
create table if not exists ticket_events (
    ticket_id    text not null references tickets (ticket_id),
    event_seq    integer not null,
    status       text not null check (status in ('created', 'first_response', 'resolved', 'closed', 'revisited')),
    event_at     timestamptz not null,
    primary key (ticket_id, event_seq)
);
create index if not exists tickets_created_at on tickets (created_at);
create index if not exists ticket_events_event_at on ticket_events (event_at);
