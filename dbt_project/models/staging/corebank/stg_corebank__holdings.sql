with

source as (
    select * from {{ source('corebank', 'holdings') }}
),

renamed as (
    select
        business_date,
        holding_id,
        customer_id,
        product_code,
        product_type,
        opened_at,
        closed_at,
        amount as holding_amount,
        _loaded_at as loaded_at
    from source
)

select * from renamed
