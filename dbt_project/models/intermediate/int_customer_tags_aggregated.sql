-- Tags per customer per business date, at two levels: each tag code and each tag family. This is the
-- compact input of the marts (one row per customer × day × signal instead of one per tag row).

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

by_code as (
    select
        business_date,
        customer_id,
        'code' as signal_level,
        tag_code as signal,
        tag_family,
        count(*) as tag_count,
        count(distinct utterance_id) as utterance_count,
        min(occurred_at) as first_signal_at
    from tagged
    group by business_date, customer_id, tag_code, tag_family
),

by_family as (
    select
        business_date,
        customer_id,
        'family' as signal_level,
        tag_family as signal,
        tag_family,
        count(*) as tag_count,
        count(distinct utterance_id) as utterance_count,
        min(occurred_at) as first_signal_at
    from tagged
    group by business_date, customer_id, tag_family
)

select * from by_code
union all
select * from by_family
