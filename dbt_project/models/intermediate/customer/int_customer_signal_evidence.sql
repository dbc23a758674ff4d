{#-
    A table, not a view: the customer marts look back over trailing windows (churn watch list, RM opportunities,
    at-risk lifecycle) and over a customer's whole history (latest profile values). Re-reading the tags for those
    windows every night would cost many full scans of a day's tag rows; this compact fact keeps only the
    customer-spoken tags the customer marts key on, with their utterance, and a night adds one day. Analysed after
    each build: the marts look customers up in it in the same run, and without fresh statistics (a full refresh
    leaves none) the planner may scan the whole table once per looked-up customer.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['business_date', 'utterance_id', 'tag_code'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_dates() }}"],
        post_hook=["analyze {{ this }}"],
        indexes=[
            {'columns': ['business_date', 'utterance_id', 'tag_code'], 'unique': true},
            {'columns': ['tag_code', 'business_date']},
            {'columns': ['customer_id', 'tag_dimension', 'business_date']},
        ]
    )
}}

{%- set evidence_roles = ['churn_risk', 'rm_opportunity', 'profile_dimension', 'open_objection'] -%}

with

utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
    {{ incremental_date_filter() }}
),

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
    {{ incremental_date_filter() }}
),

taxonomy_codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

signal_roles as (
    select * from {{ ref('signal_roles') }}
    where role in ({% for role in evidence_roles %}'{{ role }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

-- every leaf code one of the roles names, whatever level the role names it at
role_codes as (
    select distinct taxonomy_codes.tag_code
    from taxonomy_codes
    inner join signal_roles
        on (signal_roles.signal_level = 'code' and signal_roles.signal = taxonomy_codes.tag_code)
        or (signal_roles.signal_level = 'dimension' and signal_roles.signal = taxonomy_codes.tag_dimension)
        or (signal_roles.signal_level = 'family' and signal_roles.signal = taxonomy_codes.tag_family)
),

evidence as (
    select
        utterance_tags.business_date,
        utterance_tags.utterance_id,
        utterance_tags.tag_code,
        utterances.customer_id,
        utterances.occurred_at,
        utterances.source_system,
        utterances.conversation_id,
        utterances.channel,
        taxonomy_codes.tag_family,
        taxonomy_codes.tag_dimension,
        taxonomy_codes.tag_label,
        taxonomy_codes.tag_dimension_label,
        utterances.redacted_text,
        utterances.sentiment_score,
        utterances.emotion_intensity
    from utterance_tags
    inner join role_codes
        on role_codes.tag_code = utterance_tags.tag_code
    inner join utterances
        on utterances.business_date = utterance_tags.business_date
        and utterances.taxonomy_version = utterance_tags.taxonomy_version
        and utterances.utterance_id = utterance_tags.utterance_id
    inner join taxonomy_codes
        on taxonomy_codes.tag_code = utterance_tags.tag_code
    where utterances.speaker = 'customer'
)

select * from evidence
