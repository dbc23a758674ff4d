{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['first_voiced_on'],
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where {{ run_dates_between('first_voiced_on') }}{% endif %}"
        ],
        indexes=[
            {'columns': ['signal', 'customer_id'], 'unique': true},
            {'columns': ['first_voiced_on']}
        ]
    )
}}

{#-
    The day each customer first voiced each signal (leaf code, dimension, family) in their own words
    (int_customer_signal_days: an agent's 不建议 in the customer's call is not the customer's signal), with their
    total AUM that day. The signal date from which a customer counts as treated. Kept by first_voiced_on: a
    night adds the pairs first voiced that night, so an effect month never recomputes a year of minima.
-#}

with

signal_days as (
    select * from {{ ref('int_customer_signal_days') }}
),

run_voices as (
    select * from signal_days
    {{ incremental_date_filter() }}
),

first_in_run as (
    select
        signal_level,
        signal,
        customer_id,
        min(business_date) as first_voiced_on
    from run_voices
    group by signal_level, signal, customer_id
),

final as (
    select
        first_in_run.signal_level,
        first_in_run.signal,
        first_in_run.customer_id,
        first_in_run.first_voiced_on,
        cast(coalesce(strata_daily.total_aum, 0) as numeric(20, 2)) as aum_on_signal
    from first_in_run
    left join {{ ref('int_customer_strata_daily') }} as strata_daily
        on strata_daily.customer_id = first_in_run.customer_id
        and strata_daily.business_date = first_in_run.first_voiced_on
    {%- if is_incremental() and run_dates() is not none %}
    -- voiced before the run's dates: their first voice is an earlier row, kept as it is
    where not exists (
        select 1
        from signal_days as earlier
        where earlier.customer_id = first_in_run.customer_id
            and earlier.signal = first_in_run.signal
            and earlier.business_date < {{ run_dates().first }}
    )
    {%- endif %}
)

select * from final
