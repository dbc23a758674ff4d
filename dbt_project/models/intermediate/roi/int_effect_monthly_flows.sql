{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['as_of_month'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_months('as_of_month') }}"],
        indexes=[{'columns': ['as_of_month', 'customer_id', 'index_month'], 'unique': true}]
    )
}}

{#-
    Net AUM flow around each possible index month m, per customer of an effect month's population: the
    difference-in-differences input of did_net_aum_flow. Flow of a month = total AUM at its last business date
    minus at the previous month's (so market moves are in it; a matched control over the same calendar months
    carries the same moves, which the difference removes). Post window = month m + 1, pre window = month m − 1
    (the signal's own month, half before and half after the signal, is left out):
        net_flow_change = flow(m + 1) − flow(m − 1)
        placebo_change  = flow(m − 1) − flow(m − 2)   (pre-trend check; null without the customer at the m − 3 end)
    Only complete calendar months (last day <= cutoff) whose last day is inside the look-back window count. A
    customer counts for m when in the snapshot at the month end of m − 2 and not churned before m starts; a later
    month end without them (account closed and gone) counts as AUM 0.
-#}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

population as (
    select * from {{ ref('int_effect_population') }}
),

-- month ends inside the look-back window, of months complete by the cutoff (a business date is a calendar day)
month_ends as (
    select
        as_of_windows.as_of_month,
        cast(calendar_months.month_start as date) as flow_month,
        cast(calendar_months.month_start + interval '1 month' - interval '1 day' as date) as month_end_on
    from as_of_windows
    cross join lateral generate_series(
        date_trunc('month', as_of_windows.window_start_on), date_trunc('month', as_of_windows.cutoff_on), interval '1 month'
    ) as calendar_months (month_start)
    where cast(calendar_months.month_start + interval '1 month' - interval '1 day' as date)
        between as_of_windows.window_start_on and as_of_windows.cutoff_on
),

month_end_aum as (
    select
        population.as_of_month,
        population.customer_id,
        population.segment,
        population.stratum,
        population.churned_on,
        month_ends.flow_month,
        strata_daily.customer_id is not null as is_present,
        coalesce(strata_daily.total_aum, 0) as month_end_aum
    from population
    inner join month_ends
        on month_ends.as_of_month = population.as_of_month
    left join {{ ref('int_customer_strata_daily') }} as strata_daily
        on strata_daily.business_date = month_ends.month_end_on
        and strata_daily.customer_id = population.customer_id
),

lagged as (
    select
        month_end_aum.*,
        lag(flow_month, 2) over customer_months as month_minus_2,
        lag(flow_month, 3) over customer_months as month_minus_3,
        lead(flow_month, 1) over customer_months as month_plus_1,
        lag(is_present, 2) over customer_months as is_present_minus_2,
        lag(is_present, 3) over customer_months as is_present_minus_3,
        lag(month_end_aum, 3) over customer_months as aum_minus_3,
        lag(month_end_aum, 2) over customer_months as aum_minus_2,
        lag(month_end_aum, 1) over customer_months as aum_minus_1,
        lead(month_end_aum, 1) over customer_months as aum_plus_1
    from month_end_aum
    window customer_months as (partition by as_of_month, customer_id order by flow_month)
),

final as (
    select
        as_of_month,
        customer_id,
        flow_month as index_month,
        segment,
        stratum,
        -- whole CNY: the cells sum these and their squares over many customers, which integers do fast and exactly
        cast(round((aum_plus_1 - month_end_aum) - (aum_minus_1 - aum_minus_2)) as bigint) as net_flow_change,
        cast(
            round(case
                when month_minus_3 = cast(flow_month - interval '3 months' as date) and is_present_minus_3
                    then (aum_minus_1 - aum_minus_2) - (aum_minus_2 - aum_minus_3)
            end) as bigint
        ) as placebo_change
    from lagged
    where month_minus_2 = cast(flow_month - interval '2 months' as date)
        and month_plus_1 = cast(flow_month + interval '1 month' as date)
        and is_present_minus_2
        and (churned_on is null or churned_on >= flow_month)
)

select * from final
