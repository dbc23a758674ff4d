with

source as (
    select * from {{ source('ticketing', 'ticket_events') }}
),

renamed as (
    select
        business_date,
        ticket_id,
        event_seq,
        status as event_status,
        event_at,
        _loaded_at as loaded_at
    from source
)

select * from renamed
