with

source as (
    select * from {{ source('corebank', 'aum_daily') }}
),

renamed as (
    select
        business_date,
        customer_id,
        product_type,
        aum as aum_amount,
        _loaded_at as loaded_at
    from source
)

select * from renamed
