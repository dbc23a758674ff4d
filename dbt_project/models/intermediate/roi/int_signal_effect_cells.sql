{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['as_of_month'],
        on_schema_change='fail',
        pre_hook=[
            "{{ delete_run_months('as_of_month') }}",
            "set local enable_sort = off"
        ],
        indexes=[{'columns': ['as_of_month']}]
    )
}}

{#-
    enable_sort off for this transaction only: the planner overestimates the signal × customer pairs about
    fivefold and sorts them for merge joins and group aggregates; hash joins and hash aggregates over the same
    rows take half the time (a night: 3.4 s -> 1.6 s on the demo).
-#}

{#-
    Matched strata of each customer-spoken signal (leaf code, dimension, family) per effect month and segment,
    from which signal_effects computes the estimates; the .yml states each metric's cells. Exact matching on
    the baseline stratum (tier × AUM band × tenure band, int_effect_population); a cell is kept when it holds
    both treated and control.
    - Treated: a customer from the day after they first voiced the signal.
    - Control: customer-days before the customer voiced the signal or a role mate of it (another signal of the
      same role of var effect_mate_roles in seed signal_roles: a control for emotion.anxiety has not voiced
      need.hidden.liquidity_anxiety either). Customers who did so before they entered the look-back window are
      neither.
    The control of a cell is the whole stratum minus what the signal's customers take out of it, so no
    customer × day grid is built. Segment 'all' is the sum over segments (every column is a sum).
-#}

{%- set conversion_days = var('conversion_window_days') | int -%}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

population as (
    select
        population.*,
        as_of_windows.cutoff_on
    from {{ ref('int_effect_population') }} as population
    inner join as_of_windows
        on as_of_windows.as_of_month = population.as_of_month
),

-- every first voice, also those before the window or after the cutoff (sorted out per effect month below)
first_voiced as (
    select * from {{ ref('int_signal_first_voiced') }}
),

signal_roles as (
    select * from {{ ref('signal_roles') }}
),

taxonomy_codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

holdings_opened as (
    select * from {{ ref('int_holdings_opened') }}
    {{ effect_input_filter('opened_on') }}
),

monthly_flows as (
    select monthly_flows.*
    from {{ ref('int_effect_monthly_flows') }} as monthly_flows
    inner join as_of_windows
        on as_of_windows.as_of_month = monthly_flows.as_of_month
),

-- who leaves a signal's control: its own voicers and those of its role mates --------------------------------------

role_mates as (
    select distinct
        roles.signal,
        roles.signal_level,
        mates.signal as mate_signal
    from signal_roles as roles
    inner join signal_roles as mates
        on mates.role = roles.role
        and mates.signal <> roles.signal
    where roles.role in ({{ "'" ~ var('effect_mate_roles') | join("', '") ~ "'" }})
),

mate_voices as (
    select
        role_mates.signal,
        role_mates.signal_level,
        first_voiced.customer_id,
        min(first_voiced.first_voiced_on) as mate_voiced_on
    from role_mates
    inner join first_voiced
        on first_voiced.signal = role_mates.mate_signal
    group by role_mates.signal, role_mates.signal_level, first_voiced.customer_id
),

-- every customer who voiced the signal or a role mate; mate-only customers have no first_voiced_on
signal_customers as (
    select
        first_voiced.signal_level,
        first_voiced.signal,
        first_voiced.customer_id,
        first_voiced.first_voiced_on,
        first_voiced.aum_on_signal,
        least(first_voiced.first_voiced_on, mate_voices.mate_voiced_on) as excluded_from
    from first_voiced
    left join mate_voices
        on mate_voices.signal = first_voiced.signal
        and mate_voices.customer_id = first_voiced.customer_id
    union all
    select
        mate_voices.signal_level,
        mate_voices.signal,
        mate_voices.customer_id,
        cast(null as date),
        cast(null as numeric),
        mate_voices.mate_voiced_on
    from mate_voices
    where not exists (
        select 1
        from first_voiced
        where first_voiced.signal = mate_voices.signal
            and first_voiced.customer_id = mate_voices.customer_id
    )
),

-- conversion drivers: the funds_signal role's signals, the codes under them and the dimensions and families above
-- them; their own conversions are the effect, so they are not matched on the funds window
conversion_drivers as (
    select distinct driver.signal
    from taxonomy_codes
    inner join signal_roles
        on signal_roles.signal in (taxonomy_codes.tag_code, taxonomy_codes.tag_dimension, taxonomy_codes.tag_family)
    cross join lateral (
        values (taxonomy_codes.tag_code), (taxonomy_codes.tag_dimension), (taxonomy_codes.tag_family)
    ) as driver (signal)
    where signal_roles.role = 'funds_signal'
),

-- per effect month: the signal's customers up to the cutoff ----------------------------------------------------------

pairs as (
    select
        population.as_of_month,
        signal_customers.signal_level,
        signal_customers.signal,
        signal_customers.customer_id,
        signal_customers.excluded_from,
        signal_customers.excluded_from < population.entry_on as is_prevalent,
        -- treated: voiced the signal itself, inside the window and by the cutoff
        case
            when signal_customers.excluded_from >= population.entry_on
                and signal_customers.first_voiced_on <= population.cutoff_on
                then signal_customers.first_voiced_on
        end as voiced_on,
        signal_customers.aum_on_signal
    from signal_customers
    inner join population
        on population.customer_id = signal_customers.customer_id
        and signal_customers.excluded_from <= population.cutoff_on
),

pair_holdings as (
    select
        pairs.as_of_month,
        pairs.signal,
        pairs.customer_id,
        count(*) as excluded_holdings,
        count(*) filter (
            where holdings_opened.opened_on between population.funds_window_from and population.funds_window_to
        ) as excluded_funds_holdings,
        count(*) filter (
            where holdings_opened.opened_on > pairs.voiced_on
                and holdings_opened.opened_on <= pairs.voiced_on + {{ conversion_days }}
        ) as window_holdings,
        count(*) filter (
            where holdings_opened.opened_on > pairs.voiced_on
                and holdings_opened.opened_on <= pairs.voiced_on + {{ conversion_days }}
                and holdings_opened.opened_on between population.funds_window_from and population.funds_window_to
        ) as window_funds_holdings
    from pairs
    inner join population
        on population.as_of_month = pairs.as_of_month
        and population.customer_id = pairs.customer_id
    inner join holdings_opened
        on holdings_opened.customer_id = pairs.customer_id
        and holdings_opened.opened_on > pairs.excluded_from
        and holdings_opened.opened_on <= population.exit_on
    where not pairs.is_prevalent
    group by pairs.as_of_month, pairs.signal, pairs.customer_id
),

-- outcomes count only after the signal date: the signal day itself is still control time
pair_outcomes as (
    select
        pairs.as_of_month,
        pairs.signal_level,
        pairs.signal,
        population.segment,
        population.stratum,
        pairs.is_prevalent,
        pairs.voiced_on is not null as is_treated,
        coalesce(pairs.aum_on_signal, 0) as aum_on_signal,
        population.churn_days,
        population.is_churned_unbreached,
        -- churn, on days before any breached complaint
        greatest(population.churn_exit_on - pairs.voiced_on, 0) as treated_churn_days,
        coalesce(population.churned_on > pairs.voiced_on and population.is_churned_unbreached, false) as is_treated_churn,
        case
            when pairs.is_prevalent then population.churn_days
            else greatest(population.churn_exit_on - pairs.excluded_from, 0)
        end as excluded_churn_days,
        case
            when pairs.is_prevalent then population.is_churned_unbreached
            else coalesce(population.churned_on > pairs.excluded_from and population.is_churned_unbreached, false)
        end as is_excluded_churn,
        -- conversion window after the signal, fully observed by the cutoff
        coalesce(
            pairs.voiced_on + {{ conversion_days }} <= population.cutoff_on and population.exit_on > pairs.voiced_on,
            false
        ) as is_conversion_observed,
        least(pairs.voiced_on + {{ conversion_days }}, population.exit_on) - pairs.voiced_on as window_days,
        case when population.funds_window_from is null then 0 else greatest(
            least(pairs.voiced_on + {{ conversion_days }}, population.exit_on, population.funds_window_to)
                - greatest(pairs.voiced_on + 1, population.funds_window_from) + 1, 0)
        end as window_funds_days,
        coalesce(pair_holdings.window_holdings, 0) as window_holdings,
        coalesce(pair_holdings.window_funds_holdings, 0) as window_funds_holdings,
        -- what leaves the control of conversions: all days after the exclusion (a prevalent customer's all days)
        case
            when pairs.is_prevalent then population.at_risk_days
            else greatest(population.exit_on - pairs.excluded_from, 0)
        end as excluded_days,
        case
            when pairs.is_prevalent then population.funds_window_days
            when population.funds_window_from is null then 0
            else greatest(
                least(population.exit_on, population.funds_window_to)
                    - greatest(pairs.excluded_from + 1, population.funds_window_from) + 1,
                0)
        end as excluded_funds_days,
        case when pairs.is_prevalent then population.new_holdings else coalesce(pair_holdings.excluded_holdings, 0) end
            as excluded_holdings,
        case
            when pairs.is_prevalent then population.funds_window_holdings
            else coalesce(pair_holdings.excluded_funds_holdings, 0)
        end as excluded_funds_holdings
    from pairs
    inner join population
        on population.as_of_month = pairs.as_of_month
        and population.customer_id = pairs.customer_id
    left join pair_holdings
        on pair_holdings.as_of_month = pairs.as_of_month
        and pair_holdings.signal = pairs.signal
        and pair_holdings.customer_id = pairs.customer_id
),

signal_strata as (
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        stratum,
        count(*) as signal_customers,
        -- churn
        count(*) filter (where is_treated and treated_churn_days > 0) as churn_treated_n,
        count(*) filter (where is_treated and is_treated_churn) as churn_treated_events,
        coalesce(sum(treated_churn_days) filter (where is_treated), 0) as churn_treated_exposure,
        coalesce(sum(aum_on_signal) filter (where is_treated and treated_churn_days > 0), 0) as treated_aum,
        count(*) filter (where churn_days > 0 and churn_days = excluded_churn_days) as churn_no_control_n,
        count(*) filter (where is_excluded_churn) as churn_excluded_events,
        sum(excluded_churn_days) as churn_excluded_exposure,
        count(*) filter (where churn_days > 0) as churn_signal_n,
        count(*) filter (where is_churned_unbreached) as churn_signal_events,
        sum(churn_days) as churn_signal_exposure,
        -- conversion
        count(*) filter (where is_conversion_observed) as conversion_treated_n,
        count(*) filter (where is_conversion_observed and window_funds_days > 0) as conversion_treated_funds_n,
        coalesce(sum(window_holdings) filter (where is_conversion_observed), 0) as conversion_treated_events,
        coalesce(sum(window_funds_holdings) filter (where is_conversion_observed), 0) as conversion_treated_funds_events,
        coalesce(sum(window_days) filter (where is_conversion_observed), 0) as conversion_treated_exposure,
        coalesce(sum(window_funds_days) filter (where is_conversion_observed), 0) as conversion_treated_funds_exposure,
        count(*) filter (where is_prevalent) as prevalent_n,
        sum(excluded_holdings) as conversion_excluded_events,
        sum(excluded_funds_holdings) as conversion_excluded_funds_events,
        sum(excluded_days) as conversion_excluded_exposure,
        sum(excluded_funds_days) as conversion_excluded_funds_exposure
    from pair_outcomes
    group by as_of_month, signal_level, signal, segment, stratum
),

population_strata as (
    select
        as_of_month,
        segment,
        stratum,
        count(*) as customers,
        count(*) filter (where churn_days > 0) as churn_customers,
        sum(churn_days) as churn_days,
        count(*) filter (where is_churned_unbreached) as churns,
        sum(at_risk_days) as at_risk_days,
        sum(funds_window_days) as funds_window_days,
        sum(new_holdings) as new_holdings,
        sum(funds_window_holdings) as funds_window_holdings,
        sum(new_holdings_amount) as new_holdings_amount
    from population
    group by as_of_month, segment, stratum
),

joined_strata as (
    select
        signal_strata.*,
        population_strata.customers,
        population_strata.churn_customers,
        population_strata.churn_days,
        population_strata.churns,
        population_strata.at_risk_days,
        population_strata.funds_window_days,
        population_strata.new_holdings,
        population_strata.funds_window_holdings,
        population_strata.new_holdings_amount
    from signal_strata
    inner join population_strata
        on population_strata.as_of_month = signal_strata.as_of_month
        and population_strata.segment = signal_strata.segment
        and population_strata.stratum = signal_strata.stratum
),

-- segment 'all': every count above is a sum, so the whole bank's strata are the sums over segments
all_strata as (
    select * from joined_strata
    union all
    select
        as_of_month, signal_level, signal, 'all', stratum,
        sum(signal_customers), sum(churn_treated_n), sum(churn_treated_events), sum(churn_treated_exposure),
        sum(treated_aum), sum(churn_no_control_n), sum(churn_excluded_events), sum(churn_excluded_exposure),
        sum(churn_signal_n), sum(churn_signal_events), sum(churn_signal_exposure),
        sum(conversion_treated_n), sum(conversion_treated_funds_n), sum(conversion_treated_events),
        sum(conversion_treated_funds_events),
        sum(conversion_treated_exposure), sum(conversion_treated_funds_exposure), sum(prevalent_n),
        sum(conversion_excluded_events), sum(conversion_excluded_funds_events), sum(conversion_excluded_exposure),
        sum(conversion_excluded_funds_exposure),
        sum(customers), sum(churn_customers), sum(churn_days), sum(churns), sum(at_risk_days), sum(funds_window_days),
        sum(new_holdings), sum(funds_window_holdings), sum(new_holdings_amount)
    from joined_strata
    group by as_of_month, signal_level, signal, stratum
),

segment_totals as (
    select
        as_of_month,
        segment,
        sum(churn_customers) as churn_customers,
        sum(churn_days) as churn_days,
        sum(churns) as churns,
        sum(new_holdings_amount) / nullif(sum(new_holdings), 0) as avg_new_holding_amount
    from (
        select as_of_month, segment, churn_customers, churn_days, churns, new_holdings, new_holdings_amount
        from population_strata
        union all
        select as_of_month, 'all', churn_customers, churn_days, churns, new_holdings, new_holdings_amount
        from population_strata
    ) as by_segment
    group by as_of_month, segment
),

churn_cells as (
    select
        as_of_month, signal_level, signal, segment,
        'churn_rate_difference' as metric,
        'rate' as estimator,
        stratum,
        churn_treated_n as treated_n,
        churn_treated_events as treated_events,
        churn_treated_exposure as treated_exposure,
        cast(null as numeric) as treated_aum,
        churn_customers - churn_no_control_n as control_n,
        churns - churn_excluded_events as control_events,
        churn_days - churn_excluded_exposure as control_exposure,
        cast(null as numeric) as amount_per_event
    from all_strata
),

-- new holdings per customer-day in the conversion window after the signal, against customer-days not (yet)
-- voiced; matched also on the funds window (inside / outside) unless the signal is a conversion driver itself
conversion_parts as (
    select
        all_strata.*,
        conversion_drivers.signal is not null as is_conversion_driver,
        segment_totals.avg_new_holding_amount
    from all_strata
    inner join segment_totals
        on segment_totals.as_of_month = all_strata.as_of_month
        and segment_totals.segment = all_strata.segment
    left join conversion_drivers
        on conversion_drivers.signal = all_strata.signal
),

-- a treated customer counts once: in the funds-window cell when their window reaches into it; the control's
-- customers are counted on the cell outside the funds window (or the only cell)
conversion_cells as (
    select
        as_of_month, signal_level, signal, segment,
        'cross_sell_uplift' as metric,
        'rate' as estimator,
        cell.stratum,
        cell.treated_n,
        cell.treated_events,
        cell.treated_exposure,
        cast(null as numeric) as treated_aum,
        cell.control_n,
        cell.control_events,
        cell.control_exposure,
        avg_new_holding_amount as amount_per_event
    from conversion_parts
    cross join lateral (
        values
            (
                stratum,
                conversion_treated_n,
                conversion_treated_events,
                conversion_treated_exposure,
                customers - prevalent_n,
                new_holdings - conversion_excluded_events,
                at_risk_days - conversion_excluded_exposure,
                is_conversion_driver
            ),
            (
                stratum || '|funds_window',
                conversion_treated_funds_n,
                conversion_treated_funds_events,
                conversion_treated_funds_exposure,
                0,
                funds_window_holdings - conversion_excluded_funds_events,
                funds_window_days - conversion_excluded_funds_exposure,
                not is_conversion_driver
            ),
            (
                stratum || '|no_funds_window',
                conversion_treated_n - conversion_treated_funds_n,
                conversion_treated_events - conversion_treated_funds_events,
                conversion_treated_exposure - conversion_treated_funds_exposure,
                customers - prevalent_n,
                new_holdings - funds_window_holdings - conversion_excluded_events + conversion_excluded_funds_events,
                at_risk_days - funds_window_days - conversion_excluded_exposure + conversion_excluded_funds_exposure,
                not is_conversion_driver
            )
    ) as cell (stratum, treated_n, treated_events, treated_exposure, control_n, control_events, control_exposure, is_used)
    where cell.is_used
),

-- AUM at risk: the segment's signal customers against its customers who never voiced it (nor a role mate), no strata
aum_at_risk_cells as (
    select
        signal_segments.as_of_month, signal_segments.signal_level, signal_segments.signal, signal_segments.segment,
        'aum_at_risk' as metric,
        'rate' as estimator,
        cast(null as text) as stratum,
        signal_segments.treated_n,
        signal_segments.treated_events,
        signal_segments.treated_exposure,
        signal_segments.treated_aum,
        segment_totals.churn_customers - signal_segments.churn_signal_n as control_n,
        segment_totals.churns - signal_segments.churn_signal_events as control_events,
        segment_totals.churn_days - signal_segments.churn_signal_exposure as control_exposure,
        cast(null as numeric) as amount_per_event
    from (
        select
            as_of_month, signal_level, signal, segment,
            sum(churn_treated_n) as treated_n,
            sum(churn_treated_events) as treated_events,
            sum(churn_treated_exposure) as treated_exposure,
            sum(treated_aum) as treated_aum,
            sum(churn_signal_n) as churn_signal_n,
            sum(churn_signal_events) as churn_signal_events,
            sum(churn_signal_exposure) as churn_signal_exposure
        from all_strata
        group by as_of_month, signal_level, signal, segment
    ) as signal_segments
    inner join segment_totals
        on segment_totals.as_of_month = signal_segments.as_of_month
        and segment_totals.segment = signal_segments.segment
),

rate_cells as (
    select * from churn_cells
    union all
    select * from conversion_cells
    union all
    select * from aum_at_risk_cells
),

-- difference in differences -----------------------------------------------------------------------------------

population_flow_cells as (
    select
        as_of_month,
        segment,
        stratum,
        index_month,
        count(*) as n,
        sum(net_flow_change) as flow_sum,
        sum(net_flow_change * net_flow_change) as flow_sumsq,
        sum(placebo_change) as placebo_sum,
        sum(placebo_change * placebo_change) as placebo_sumsq
    from monthly_flows
    group by as_of_month, segment, stratum, index_month
),

-- the signal's customers in each index month m: treated if they first voiced it in m; out of the control once
-- they (or a role mate) voiced by the end of the post window m + 1, i.e. from month m_voiced − 1 on
signal_flows as (
    select
        pairs.as_of_month,
        pairs.signal_level,
        pairs.signal,
        monthly_flows.segment,
        monthly_flows.stratum,
        monthly_flows.index_month,
        coalesce(monthly_flows.index_month = cast(date_trunc('month', pairs.voiced_on) as date), false) as is_treated,
        monthly_flows.net_flow_change,
        monthly_flows.placebo_change
    from pairs
    inner join monthly_flows
        on monthly_flows.as_of_month = pairs.as_of_month
        and monthly_flows.customer_id = pairs.customer_id
        and (pairs.is_prevalent
            or monthly_flows.index_month >= cast(date_trunc('month', pairs.excluded_from) - interval '1 month' as date))
    where pairs.signal_level in ({{ "'" ~ var('did_signal_levels') | join("', '") ~ "'" }})
),

signal_flow_cells as (
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        stratum,
        index_month,
        count(*) filter (where is_treated) as treated_n,
        coalesce(sum(net_flow_change) filter (where is_treated), 0) as treated_sum,
        coalesce(sum(net_flow_change * net_flow_change) filter (where is_treated), 0) as treated_sumsq,
        sum(placebo_change) filter (where is_treated) as placebo_treated_sum,
        sum(placebo_change * placebo_change) filter (where is_treated) as placebo_treated_sumsq,
        count(*) as excluded_n,
        sum(net_flow_change) as excluded_sum,
        sum(net_flow_change * net_flow_change) as excluded_sumsq,
        coalesce(sum(placebo_change), 0) as excluded_placebo_sum,
        coalesce(sum(placebo_change * placebo_change), 0) as excluded_placebo_sumsq
    from signal_flows
    group by as_of_month, signal_level, signal, segment, stratum, index_month
),

did_segment_cells as (
    select
        signal_flow_cells.as_of_month,
        signal_flow_cells.signal_level,
        signal_flow_cells.signal,
        signal_flow_cells.segment,
        signal_flow_cells.stratum,
        signal_flow_cells.index_month,
        signal_flow_cells.treated_n,
        signal_flow_cells.treated_sum,
        signal_flow_cells.treated_sumsq,
        signal_flow_cells.placebo_treated_sum,
        signal_flow_cells.placebo_treated_sumsq,
        population_flow_cells.n - signal_flow_cells.excluded_n as control_n,
        population_flow_cells.flow_sum - signal_flow_cells.excluded_sum as control_sum,
        population_flow_cells.flow_sumsq - signal_flow_cells.excluded_sumsq as control_sumsq,
        population_flow_cells.placebo_sum - signal_flow_cells.excluded_placebo_sum as placebo_control_sum,
        population_flow_cells.placebo_sumsq - signal_flow_cells.excluded_placebo_sumsq as placebo_control_sumsq
    from signal_flow_cells
    inner join population_flow_cells
        on population_flow_cells.as_of_month = signal_flow_cells.as_of_month
        and population_flow_cells.segment = signal_flow_cells.segment
        and population_flow_cells.stratum = signal_flow_cells.stratum
        and population_flow_cells.index_month = signal_flow_cells.index_month
),

did_cells as (
    select * from did_segment_cells
    union all
    select
        as_of_month, signal_level, signal, 'all', stratum, index_month,
        sum(treated_n), sum(treated_sum), sum(treated_sumsq), sum(placebo_treated_sum), sum(placebo_treated_sumsq),
        sum(control_n), sum(control_sum), sum(control_sumsq), sum(placebo_control_sum), sum(placebo_control_sumsq)
    from did_segment_cells
    group by as_of_month, signal_level, signal, stratum, index_month
),

final as (
    select
        as_of_month,
        cast(signal_level as text) as signal_level,
        signal,
        segment,
        metric,
        estimator,
        stratum,
        cast(null as date) as index_month,
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
    where treated_exposure > 0 and control_exposure > 0
    union all
    select
        as_of_month,
        cast(signal_level as text),
        signal,
        segment,
        'did_net_aum_flow',
        'mean',
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
