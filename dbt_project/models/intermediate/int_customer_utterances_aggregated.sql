-- Utterance counts per customer per business date.

with

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
),

aggregated as (
    select
        business_date,
        customer_id,
        count(*) as utterance_count,
        count(*) filter (where speaker = 'customer') as customer_utterance_count,
        count(*) filter (where speaker = 'customer' and sentiment = 'negative') as negative_utterance_count
    from utterances
    group by business_date, customer_id
)

select * from aggregated
