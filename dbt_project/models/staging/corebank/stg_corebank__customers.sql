with

source as (
    select * from {{ source('corebank', 'customers') }}
),

renamed as (
    select
        business_date,
        customer_id,
        tier,
        segment,
        branch_id,
        rm_id,
        opened_on,
        updated_at,
        _loaded_at as loaded_at
    from source
)

select * from renamed
