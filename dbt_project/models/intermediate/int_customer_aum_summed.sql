-- Total AUM per customer per business date, over all product types.

with

aum as (
    select * from {{ ref('stg_corebank__aum_daily') }}
),

summed as (
    select
        business_date,
        customer_id,
        sum(aum_amount) as total_aum,
        count(*) as product_type_count
    from aum
    group by business_date, customer_id
)

select * from summed
