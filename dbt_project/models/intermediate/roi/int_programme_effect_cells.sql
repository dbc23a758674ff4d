{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['as_of_month'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_months('as_of_month') }}"]
    )
}}

{#-
    Matched strata of the two programmes per effect month and segment, in the columns of
    int_signal_effect_cells: retention_difference (both programmes, person-time after the index), and for
    rm_follow_up_after_funds_signal cross_sell_uplift (share of customers with a new holding in the conversion
    window after the contact window; the SLA programme has no conversion window), and did_net_aum_flow for both
    (treated = is_treated of the unit, index month = month of its trigger). Exact
    matching on the baseline stratum; only strata with a treated and a control customer are kept.
-#}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

units as (
    select units.*
    from {{ ref('int_programme_units') }} as units
    inner join as_of_windows
        on as_of_windows.as_of_month = units.as_of_month
),

population as (
    select population.*
    from {{ ref('int_effect_population') }} as population
    inner join as_of_windows
        on as_of_windows.as_of_month = population.as_of_month
),

monthly_flows as (
    select monthly_flows.*
    from {{ ref('int_effect_monthly_flows') }} as monthly_flows
    inner join as_of_windows
        on as_of_windows.as_of_month = monthly_flows.as_of_month
),

unit_segments as (
    select
        units.*,
        effect_segments.effect_segment
    from units
    cross join lateral (values (units.segment), ('all')) as effect_segments (effect_segment)
),

new_holding_amounts as (
    select
        population.as_of_month,
        effect_segments.effect_segment as segment,
        sum(population.new_holdings_amount) / nullif(sum(population.new_holdings), 0) as avg_new_holding_amount
    from population
    cross join lateral (values (population.segment), ('all')) as effect_segments (effect_segment)
    group by population.as_of_month, effect_segments.effect_segment
),

retention_cells as (
    select
        as_of_month,
        'programme' as signal_level,
        programme as signal,
        effect_segment as segment,
        'retention_difference' as metric,
        'rate' as estimator,
        stratum,
        cast(null as date) as index_month,
        count(*) filter (where treated_days > 0) as treated_n,
        count(*) filter (where is_treated_churn) as treated_events,
        sum(treated_days) as treated_exposure,
        coalesce(sum(index_aum) filter (where treated_days > 0), 0) as treated_aum,
        count(*) filter (where control_days > 0) as control_n,
        count(*) filter (where is_control_churn) as control_events,
        sum(control_days) as control_exposure,
        cast(null as numeric) as amount_per_event
    from unit_segments
    group by as_of_month, programme, effect_segment, stratum
),

conversion_cells as (
    select
        unit_segments.as_of_month,
        'programme' as signal_level,
        unit_segments.programme as signal,
        unit_segments.effect_segment as segment,
        'cross_sell_uplift' as metric,
        'proportion' as estimator,
        unit_segments.stratum,
        cast(null as date) as index_month,
        count(*) filter (where unit_segments.is_treated) as treated_n,
        count(*) filter (where unit_segments.is_treated and unit_segments.is_converted) as treated_events,
        count(*) filter (where unit_segments.is_treated) as treated_exposure,
        cast(null as numeric) as treated_aum,
        count(*) filter (where not unit_segments.is_treated) as control_n,
        count(*) filter (where not unit_segments.is_treated and unit_segments.is_converted) as control_events,
        count(*) filter (where not unit_segments.is_treated) as control_exposure,
        max(new_holding_amounts.avg_new_holding_amount) as amount_per_event
    from unit_segments
    inner join new_holding_amounts
        on new_holding_amounts.as_of_month = unit_segments.as_of_month
        and new_holding_amounts.segment = unit_segments.effect_segment
    where unit_segments.is_conversion_observed
    group by unit_segments.as_of_month, unit_segments.programme, unit_segments.effect_segment, unit_segments.stratum
),

did_cells as (
    select
        unit_segments.as_of_month,
        'programme' as signal_level,
        unit_segments.programme as signal,
        unit_segments.effect_segment as segment,
        'did_net_aum_flow' as metric,
        'mean' as estimator,
        unit_segments.stratum,
        monthly_flows.index_month,
        count(*) filter (where unit_segments.is_treated) as treated_n,
        sum(monthly_flows.net_flow_change) filter (where unit_segments.is_treated) as treated_sum,
        sum(monthly_flows.net_flow_change * monthly_flows.net_flow_change) filter (where unit_segments.is_treated)
            as treated_sumsq,
        sum(monthly_flows.placebo_change) filter (where unit_segments.is_treated) as placebo_treated_sum,
        sum(monthly_flows.placebo_change * monthly_flows.placebo_change) filter (where unit_segments.is_treated)
            as placebo_treated_sumsq,
        count(*) filter (where not unit_segments.is_treated) as control_n,
        sum(monthly_flows.net_flow_change) filter (where not unit_segments.is_treated) as control_sum,
        sum(monthly_flows.net_flow_change * monthly_flows.net_flow_change) filter (where not unit_segments.is_treated)
            as control_sumsq,
        sum(monthly_flows.placebo_change) filter (where not unit_segments.is_treated) as placebo_control_sum,
        sum(monthly_flows.placebo_change * monthly_flows.placebo_change) filter (where not unit_segments.is_treated)
            as placebo_control_sumsq
    from unit_segments
    inner join monthly_flows
        on monthly_flows.as_of_month = unit_segments.as_of_month
        and monthly_flows.customer_id = unit_segments.customer_id
        and monthly_flows.index_month = cast(date_trunc('month', unit_segments.trigger_on) as date)
    group by unit_segments.as_of_month, unit_segments.programme, unit_segments.effect_segment, unit_segments.stratum,
        monthly_flows.index_month
),

rate_cells as (
    select * from retention_cells
    union all
    select * from conversion_cells
),

final as (
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        metric,
        estimator,
        stratum,
        index_month,
        cast(treated_n as integer) as treated_n,
        cast(treated_events as numeric) as treated_events,
        cast(treated_exposure as numeric) as treated_exposure,
        cast(null as numeric) as treated_sum,
        cast(null as numeric) as treated_sumsq,
        cast(null as numeric) as placebo_treated_sum,
        cast(null as numeric) as placebo_treated_sumsq,
        cast(treated_aum as numeric(20, 2)) as treated_aum,
        cast(control_n as integer) as control_n,
        cast(control_events as numeric) as control_events,
        cast(control_exposure as numeric) as control_exposure,
        cast(null as numeric) as control_sum,
        cast(null as numeric) as control_sumsq,
        cast(null as numeric) as placebo_control_sum,
        cast(null as numeric) as placebo_control_sumsq,
        cast(amount_per_event as numeric(20, 2)) as amount_per_event
    from rate_cells
    where treated_n > 0 and control_n > 0 and control_exposure > 0
    union all
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        metric,
        estimator,
        stratum,
        index_month,
        cast(treated_n as integer),
        cast(null as numeric),
        cast(null as numeric),
        cast(treated_sum as numeric),
        cast(treated_sumsq as numeric),
        cast(placebo_treated_sum as numeric),
        cast(placebo_treated_sumsq as numeric),
        cast(null as numeric(20, 2)),
        cast(control_n as integer),
        cast(null as numeric),
        cast(null as numeric),
        cast(control_sum as numeric),
        cast(control_sumsq as numeric),
        cast(placebo_control_sum as numeric),
        cast(placebo_control_sumsq as numeric),
        cast(null as numeric(20, 2))
    from did_cells
    where treated_n > 0 and control_n > 0
)

select * from final
