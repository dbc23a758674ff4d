with

source as (
    select * from {{ source('crm', 'turns') }}
),

renamed as (
    select
        business_date,
        conversation_id,
        turn_no,
        speaker,
        spoken_at,
        text as redacted_text,
        pii_count as redacted_pii_count,
        _loaded_at as loaded_at
    from source
)

select * from renamed
