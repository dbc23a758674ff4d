with

source as (
    select * from {{ source('corebank', 'churn_events') }}
),

renamed as (
    select
        business_date,
        event_id as churn_event_id,
        customer_id,
        event_type as churn_type,
        occurred_at,
        aum_before,
        aum_after,
        _loaded_at as loaded_at
    from source
)

select * from renamed
