-- Customer-spoken utterances with each signal they carry, at leaf-code and dimension level: the utterance
-- grain the VoC marts need — survey comments joined to their response, customers and sample utterances behind
-- a hot spot. int_customer_tags_aggregated (customer × day) is coarser, and a filter on business_date does not
-- reach through its grouping sets. Agent turns are left out: a customer signal is what the customer said.

with

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
    where speaker = 'customer'
),

utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
),

taxonomy_codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

-- each tag at its leaf code and at its dimension; an utterance carrying two codes of one dimension carries the
-- dimension once. One pass without a CTE read twice, so a filter on business_date reaches the tags tables' keys.
signals as (
    select distinct
        utterance_tags.business_date,
        utterance_tags.taxonomy_version,
        utterance_tags.utterance_id,
        levels.signal_level,
        levels.signal,
        taxonomy_codes.tag_family
    from utterance_tags
    inner join taxonomy_codes
        on taxonomy_codes.tag_code = utterance_tags.tag_code
    cross join lateral (
        values ('code', taxonomy_codes.tag_code), ('dimension', taxonomy_codes.tag_dimension)
    ) as levels (signal_level, signal)
),

-- the utterance is looked up by its key for each tag row (offset 0 keeps the lookup from being flattened into a
-- join that would scan every utterance): a mart filtering this view on business_date reads that range of both
-- tags tables, not all of history
tagged as (
    select
        signals.business_date,
        signals.utterance_id,
        utterance.source_system,
        utterance.customer_id,
        utterance.channel,
        utterance.occurred_at,
        utterance.redacted_text,
        signals.signal_level,
        signals.signal,
        signals.tag_family
    from signals
    cross join lateral (
        select *
        from utterances
        where utterances.business_date = signals.business_date
            and utterances.taxonomy_version = signals.taxonomy_version
            and utterances.utterance_id = signals.utterance_id
        offset 0
    ) as utterance
)

select * from tagged
