-- Sentiment and emotion intensity of what each customer said or wrote per business date. Scores are averaged as
-- numeric so that the mean does not depend on the order rows arrive in (a float sum does, in its last bits, and
-- the marts must hash the same built night by night or in one history load).

with

utterances as (
    select * from {{ ref('stg_tags__utterances') }}
),

scored as (
    select
        business_date,
        customer_id,
        count(*) as scored_utterance_count,
        avg(cast(sentiment_score as numeric)) as mean_sentiment_score,
        max(cast(emotion_intensity as numeric)) as max_emotion_intensity,
        avg(cast(emotion_intensity as numeric)) as mean_emotion_intensity
    from utterances
    where speaker = 'customer'
    group by business_date, customer_id
)

select * from scored
