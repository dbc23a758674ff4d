-- tags: the tagger's output per business date and taxonomy version. One row per utterance, one per tag,
-- one per evidence span. Re-tagging a date with the same taxonomy version replaces its rows.
create schema if not exists tags;

create table if not exists tags.utterances (
    business_date    date not null,
    taxonomy_version integer not null,
    utterance_id     text not null,           -- crm:<conversation_id>:<turn_no> | ticket:<ticket_id> | survey:<response_id>
    source           text not null,           -- crm, ticketing, survey
    conversation_id  text,
    customer_id      text not null,
    speaker          text not null,
    channel          text not null,
    occurred_at      timestamptz not null,
    redacted_text    text not null,
    sentiment        text not null,
    sentiment_score  double precision not null,
    emotion_intensity double precision not null,
    tag_count        integer not null,
    tagged_at        timestamptz not null default now(),
    primary key (business_date, taxonomy_version, utterance_id)
);
create table if not exists tags.utterance_tags (
    business_date    date not null,
    taxonomy_version integer not null,
    utterance_id     text not null,
    code             text not null,
    family           text not null,
    primary key (business_date, taxonomy_version, utterance_id, code)
);
create table if not exists tags.evidence (
    business_date    date not null,
    taxonomy_version integer not null,
    utterance_id     text not null,
    code             text not null,
    start_pos        integer not null,
    end_pos          integer not null,
    rule             text not null
);
create index if not exists evidence_key on tags.evidence (business_date, taxonomy_version, utterance_id);
