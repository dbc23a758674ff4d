{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['business_date', 'customer_id'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_dates() }}"],
        indexes=[
            {'columns': ['business_date', 'customer_id'], 'unique': true},
            {'columns': ['customer_id', 'business_date']},
        ]
    )
}}

-- The days a customer voiced an opportunity (role rm_opportunity: idle or incoming funds, money maturing
-- elsewhere) and the first moment they did. Customer-spoken only: an agent mentioning 闲置资金 is no signal from
-- the customer. Read from the tag tables with the run's dates (their index), not from int_customer_tags_aggregated,
-- whose grouping sets keep a date filter from reaching the tags; a table by business date so the agent scorecard
-- reads these few rows, not a month of tags.

with

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
    {{ incremental_date_filter() }}
),

utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
    {{ incremental_date_filter() }}
),

opportunity_codes as (
    select tag_code from {{ ref('int_signal_role_codes') }}
    where role = 'rm_opportunity'
),

voiced as (
    select
        utterances.business_date,
        utterances.customer_id,
        min(utterances.occurred_at) as first_signal_at,
        cast(count(distinct utterance_tags.tag_code) as integer) as opportunity_signals
    from utterances
    inner join utterance_tags
        on utterance_tags.business_date = utterances.business_date
        and utterance_tags.utterance_id = utterances.utterance_id
    inner join opportunity_codes
        on opportunity_codes.tag_code = utterance_tags.tag_code
    where utterances.speaker = 'customer'
    group by utterances.business_date, utterances.customer_id
)

select * from voiced
