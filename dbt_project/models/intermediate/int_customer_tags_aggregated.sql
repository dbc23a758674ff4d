-- Tags per customer per business date and speaker, at three levels: each leaf code, each dimension and each
-- family of the taxonomy. This is the compact input of the marts (one row per customer × day × speaker ×
-- signal instead of one per tag row). All levels come from one pass (grouping sets), so a filter on
-- business_date reaches the tags tables' index. Customer-spoken and agent-spoken tags stay apart (spoken_by):
-- an agent's 不建议 in a customer's call is the agent's signal, not the customer's.
-- A table, incremental by business_date: many marts read it, and as a view its grouping sets would stop a
-- date filter from reaching the tags tables (each reader would scan every tag of every date).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['business_date', 'customer_id', 'spoken_by', 'signal_level', 'signal'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_dates() }}"],
        indexes=[{'columns': ['business_date', 'customer_id']}, {'columns': ['signal', 'business_date']}]
    )
}}

with

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
    {{ incremental_date_filter() }}
),

utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
    {{ incremental_date_filter() }}
),

taxonomy_codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

tagged as (
    select
        utterance_tags.business_date,
        utterances.customer_id,
        utterances.speaker as spoken_by,
        utterances.occurred_at,
        utterance_tags.utterance_id,
        utterance_tags.tag_code,
        taxonomy_codes.tag_dimension,
        taxonomy_codes.tag_family
    from utterance_tags
    inner join utterances
        on utterances.business_date = utterance_tags.business_date
        and utterances.taxonomy_version = utterance_tags.taxonomy_version
        and utterances.utterance_id = utterance_tags.utterance_id
    inner join taxonomy_codes
        on taxonomy_codes.tag_code = utterance_tags.tag_code
),

aggregated as (
    select
        business_date,
        customer_id,
        spoken_by,
        case
            when grouping(tag_code) = 0 then 'code'
            when grouping(tag_dimension) = 0 then 'dimension'
            else 'family'
        end as signal_level,
        coalesce(tag_code, tag_dimension, tag_family) as signal,
        tag_family,
        count(*) as tag_count,
        count(distinct utterance_id) as utterance_count,
        min(occurred_at) as first_signal_at
    from tagged
    group by grouping sets (
        (business_date, customer_id, spoken_by, tag_family, tag_dimension, tag_code),
        (business_date, customer_id, spoken_by, tag_family, tag_dimension),
        (business_date, customer_id, spoken_by, tag_family)
    )
)

select * from aggregated
