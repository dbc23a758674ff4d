-- Demo CRM system (database `crm`): call and IM conversations, RM notes, turn by turn.
-- Stands in for a bank's CRM; the connector reads it through the Airflow connection `voc_crm`.
create table if not exists conversations (
    conversation_id text primary key,
    channel         text not null check (channel in ('call', 'im', 'rm_note')),
    customer_id     text not null,
    agent_id        text not null,
    started_at      timestamptz not null,
    ended_at        timestamptz not null,
    updated_at      timestamptz not null
);
create table if not exists turns (
    conversation_id text not null references conversations (conversation_id),
    turn_no         integer not null,
    speaker         text not null check (speaker in ('customer', 'agent')),
    spoken_at       timestamptz not null,
    text            text not null,
    primary key (conversation_id, turn_no)
);
create index if not exists turns_spoken_at on turns (spoken_at);
create index if not exists conversations_started_at on conversations (started_at);
