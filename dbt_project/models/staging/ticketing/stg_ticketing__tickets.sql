with

source as (
    select * from {{ source('ticketing', 'tickets') }}
),

renamed as (
    select
        business_date,
        ticket_id,
        customer_id,
        channel,
        category,
        priority,
        branch_id,
        title as redacted_title,
        body as redacted_body,
        pii_count as redacted_pii_count,
        status as ticket_status,
        created_at,
        updated_at,
        _loaded_at as loaded_at
    from source
)

select * from renamed
