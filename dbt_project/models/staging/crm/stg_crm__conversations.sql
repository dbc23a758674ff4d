with

source as (
    select * from {{ source('crm', 'conversations') }}
),

renamed as (
    select
        business_date,
        conversation_id,
        channel,
        customer_id,
        agent_id,
        started_at,
        ended_at,
        updated_at,
        _loaded_at as loaded_at
    from source
)

select * from renamed
