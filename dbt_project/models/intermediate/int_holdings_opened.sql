-- New holdings (cross-sell): each holding once, taken from the row landed on the day it was opened
-- (opened_at falls on that business date in the business time zone).

with

holdings as (
    select * from {{ ref('stg_corebank__holdings') }}
),

opened as (
    select
        holding_id,
        customer_id,
        product_code,
        product_type,
        opened_at,
        business_date as opened_on,
        holding_amount
    from holdings
    where business_date = {{ to_business_date('opened_at') }}
)

select * from opened
