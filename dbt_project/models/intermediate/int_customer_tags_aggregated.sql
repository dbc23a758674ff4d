-- Tags per customer per business date, at two levels: each tag code and each tag family. This is the
-- compact input of the marts (one row per customer × day × signal instead of one per tag row). Both levels
-- come from one pass (grouping sets), so a filter on business_date reaches the tags tables' index.

with

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
),

utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
),

tagged as (
    select
        utterance_tags.business_date,
        utterances.customer_id,
        utterances.occurred_at,
        utterance_tags.utterance_id,
        utterance_tags.tag_code,
        utterance_tags.tag_family
    from utterance_tags
    inner join utterances
        on utterances.business_date = utterance_tags.business_date
        and utterances.taxonomy_version = utterance_tags.taxonomy_version
        and utterances.utterance_id = utterance_tags.utterance_id
),

aggregated as (
    select
        business_date,
        customer_id,
        case when grouping(tag_code) = 0 then 'code' else 'family' end as signal_level,
        coalesce(tag_code, tag_family) as signal,
        tag_family,
        count(*) as tag_count,
        count(distinct utterance_id) as utterance_count,
        min(occurred_at) as first_signal_at
    from tagged
    group by grouping sets (
        (business_date, customer_id, tag_family, tag_code),
        (business_date, customer_id, tag_family)
    )
)

select * from aggregated
