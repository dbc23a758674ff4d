{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['business_date'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_dates() }}"],
        indexes=[
            {'columns': ['customer_id', 'business_date'], 'unique': true},
            {'columns': ['business_date']}
        ]
    )
}}

{#-
    A table, not a view: every effect month looks customers up on many dates (their first date in the
    look-back window, the day they voiced a signal, month ends), and a night adds one date of rows.
-#}

with

customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter() }}
),

customer_aum as (
    select * from {{ ref('int_customer_aum_summed') }}
    {{ incremental_date_filter() }}
),

bands as (
    select * from {{ ref('matching_bands') }}
),

measured as (
    select
        customers.business_date,
        customers.customer_id,
        customers.segment,
        customers.tier,
        customers.rm_id,
        customers.opened_on,
        coalesce(customer_aum.total_aum, 0) as total_aum,
        (customers.business_date - customers.opened_on) / 365.25 as tenure_years
    from customers
    left join customer_aum
        on customer_aum.business_date = customers.business_date
        and customer_aum.customer_id = customers.customer_id
),

banded as (
    select
        measured.business_date,
        measured.customer_id,
        measured.segment,
        measured.tier,
        measured.rm_id,
        measured.opened_on,
        measured.total_aum,
        aum_bands.band as aum_band,
        tenure_bands.band as tenure_band
    from measured
    left join bands as aum_bands
        on aum_bands.band_type = 'aum'
        and measured.total_aum >= aum_bands.lower_bound
        and (aum_bands.upper_bound is null or measured.total_aum < aum_bands.upper_bound)
    left join bands as tenure_bands
        on tenure_bands.band_type = 'tenure'
        and measured.tenure_years >= tenure_bands.lower_bound
        and (tenure_bands.upper_bound is null or measured.tenure_years < tenure_bands.upper_bound)
),

final as (
    select
        business_date,
        customer_id,
        segment,
        tier,
        rm_id,
        opened_on,
        cast(total_aum as numeric(20, 2)) as total_aum,
        aum_band,
        tenure_band,
        tier || '|' || aum_band || '|' || tenure_band as stratum
    from banded
)

select * from final
