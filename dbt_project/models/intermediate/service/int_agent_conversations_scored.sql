{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['business_date', 'conversation_id'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_dates() }}"],
        indexes=[
            {'columns': ['business_date', 'conversation_id'], 'unique': true},
            {'columns': ['customer_id', 'business_date']},
        ]
    )
}}

-- Per conversation: who served the customer and how many of the agent's own turns carried a caution phrase
-- (role agent_caution) or a guaranteed-return promise (role agent_promise). Agent-spoken only: a customer saying
-- 保本 is a question, not the agent's promise. A table by business date, not a view, so that the monthly agent
-- scorecard re-reads a month of conversations, never a month of tag rows, each night.

with

conversations as (
    select * from {{ ref('stg_crm__conversations') }}
    {{ incremental_date_filter() }}
),

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
    {{ incremental_date_filter() }}
),

utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
    {{ incremental_date_filter() }}
),

agent_role_codes as (
    select * from {{ ref('int_signal_role_codes') }}
    where role in ('agent_caution', 'agent_promise')
),

agent_turns as (
    select
        utterances.business_date,
        utterances.conversation_id,
        utterances.utterance_id,
        coalesce(bool_or(agent_role_codes.role = 'agent_caution'), false) as has_caution,
        coalesce(bool_or(agent_role_codes.role = 'agent_promise'), false) as has_promise
    from utterances
    left join utterance_tags
        on utterance_tags.business_date = utterances.business_date
        and utterance_tags.utterance_id = utterances.utterance_id
    left join agent_role_codes
        on agent_role_codes.tag_code = utterance_tags.tag_code
    where utterances.source_system = 'crm'
        and utterances.speaker = 'agent'
    group by utterances.business_date, utterances.conversation_id, utterances.utterance_id
),

per_conversation as (
    select
        business_date,
        conversation_id,
        count(*) as agent_utterances,
        count(*) filter (where has_caution) as caution_utterances,
        count(*) filter (where has_promise) as promise_utterances
    from agent_turns
    group by business_date, conversation_id
),

scored as (
    select
        conversations.business_date,
        conversations.conversation_id,
        conversations.agent_id,
        conversations.customer_id,
        conversations.channel,
        conversations.started_at,
        conversations.ended_at,
        cast(coalesce(per_conversation.agent_utterances, 0) as integer) as agent_utterances,
        cast(coalesce(per_conversation.caution_utterances, 0) as integer) as caution_utterances,
        cast(coalesce(per_conversation.promise_utterances, 0) as integer) as promise_utterances
    from conversations
    left join per_conversation
        on per_conversation.business_date = conversations.business_date
        and per_conversation.conversation_id = conversations.conversation_id
)

select * from scored
