-- tags: the tagger's output per business date and taxonomy version. One row per utterance, one per tag,
-- one per evidence span, one per conversation (conversation-level signals), and the day's emerging topics.
-- Tagging runs in partitions (tag_partition = hash of the conversation mod the partition count) so workers
-- share a day; re-tagging (business_date, tag_partition, taxonomy_version) replaces exactly those rows.
create schema if not exists tags;

create table if not exists tags.utterances (
    business_date    date not null,
    taxonomy_version integer not null,
    tag_partition    smallint not null default 0,  -- hash(conversation) mod partitions; 0 when untiled
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
    tag_partition    smallint not null default 0,  -- hash(conversation) mod partitions; 0 when untiled
    utterance_id     text not null,
    code             text not null,
    family           text not null,
    primary key (business_date, taxonomy_version, utterance_id, code)
);
create table if not exists tags.evidence (
    business_date    date not null,
    taxonomy_version integer not null,
    tag_partition    smallint not null default 0,  -- hash(conversation) mod partitions; 0 when untiled
    utterance_id     text not null,
    code             text not null,
    start_pos        integer not null,
    end_pos          integer not null,
    rule             text not null
);
create index if not exists evidence_key on tags.evidence (business_date, taxonomy_version, utterance_id);

create table if not exists tags.conversation_signals (
    business_date         date not null,
    taxonomy_version      integer not null,
    tag_partition         smallint not null default 0,
    conversation_id       text not null,
    customer_id           text not null,
    channel               text not null,
    agent_turns           integer not null,
    customer_turns        integer not null,
    agent_caution_density double precision not null,  -- share of agent turns with 不建议/谨慎/风险较大 advice
    compliance_flags      integer not null,           -- agent turns promising 保本/稳赚
    redemption_questions  integer not null,
    liquidity_anxiety     boolean not null,           -- repeated redemption questions, or urgent need of cash
    anxiety_phrases       integer not null,
    health_gap            boolean not null,           -- 重疾险 and 体检 in one conversation
    jargon_mismatch       boolean not null,           -- agent jargon (夏普比率/最大回撤/久期) with a novice customer
    opportunity           boolean not null,           -- idle / incoming funds, money maturing elsewhere
    escalation_risk       boolean not null,
    negative_share        double precision not null,
    primary key (business_date, taxonomy_version, conversation_id)
);

-- The taxonomy each version was tagged with, one row per leaf code, written by the tagging run from the
-- versioned YAML (the single owner of codes, families, labels and who may speak a code). Marts key on these
-- rows (and the reference seeds that name codes by role), never on code literals.
create table if not exists tags.taxonomy_codes (
    taxonomy_version integer not null,
    code             text not null,            -- family.dimension.value
    family           text not null,
    dimension        text not null,            -- family.dimension
    label_zh         text not null,
    dimension_label_zh text not null,
    family_label_zh  text not null,
    speaker          text not null check (speaker in ('customer', 'agent', 'any')),
    definition       text not null default '',
    published_at     timestamptz not null default now(),
    primary key (taxonomy_version, code)
);

-- How many partitions a (date, version) was last tagged in: a new count reassigns conversations, so the
-- planner clears the day before the partitions are re-tagged.
create table if not exists tags.tag_partitioning (
    business_date    date not null,
    taxonomy_version integer not null,
    partitions       smallint not null check (partitions >= 1),
    planned_at       timestamptz not null default now(),
    primary key (business_date, taxonomy_version)
);

create table if not exists tags.emerging_topics (
    business_date        date not null,
    taxonomy_version     integer not null,
    rank                 integer not null,
    keyword              text not null,
    utterances           integer not null,        -- negative utterances containing it that no feedback tag covers
    sample_utterance_ids text[] not null,
    primary key (business_date, taxonomy_version, keyword)
);

-- Warehouses created before partitioned tagging get the column (existing rows were one partition).
alter table tags.utterances add column if not exists tag_partition smallint not null default 0;
alter table tags.utterance_tags add column if not exists tag_partition smallint not null default 0;
alter table tags.evidence add column if not exists tag_partition smallint not null default 0;
