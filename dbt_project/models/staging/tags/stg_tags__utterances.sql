with

source as (
    select * from {{ source('tags', 'utterances') }}
    where taxonomy_version = {{ var('taxonomy_version') | int }}
),

renamed as (
    select
        business_date,
        taxonomy_version,
        utterance_id,
        source as source_system,
        conversation_id,
        customer_id,
        speaker,
        channel,
        occurred_at,
        redacted_text,
        sentiment,
        sentiment_score,
        emotion_intensity,
        tag_count,
        tagged_at
    from source
)

select * from renamed
