{{
    config(
        unique_key=['as_of_month', 'signal', 'segment', 'metric'],
        pre_hook=["{{ delete_run_months('as_of_month') }}"],
        indexes=[{'columns': ['as_of_month', 'signal', 'segment', 'metric'], 'unique': true}]
    )
}}

{#-
    Effect estimates with their 95% intervals, from the matched strata of int_signal_effect_cells (customer
    signals) and int_programme_effect_cells (the two programmes). Three estimators, chosen by the cells:
      rate        events per customer-day, treated vs control standardised to the treated's person-time per
                  stratum; Poisson score intervals (the control's with its effective person-time), MOVER difference
      proportion  share of customers, control standardised to the treated's customers per stratum; Wilson
                  intervals (the control's with its effective size), Newcombe's hybrid score difference
      mean        difference of mean changes per stratum × index month, weighted by treated; normal interval
                  with the pooled within-cell variance
    programme_roi is then derived from each programme's benefit metric (seed programmes). signal_effects.yml
    states every formula.
-#}

{%- set churn_days = var('churn_outcome_days') | int -%}
{%- set conversion_days = var('conversion_window_days') | int -%}
{%- set follow_up_days = var('rm_follow_up_days') | int -%}
{%- set margin_rate = (var('aum_margin_bps') | float) / 10000 -%}
{%- set product_margin = var('first_year_product_margin') | float -%}
{#- a rate per customer-day on the metric's own scale: probability of churning within churn_outcome_days, its
    complement for retention, new holdings per customer over the conversion window for cross-sell -#}
{%- set roi_method = "(incremental margin - N_treated x cost per treated customer) / cost, cost from seed programmes;"
    ~ " incremental margin = retained AUM x " ~ var('aum_margin_bps') ~ " bps (retention) or cross_sell_uplift (seed"
    ~ " programmes.benefit_metric); interval carried from that metric, cost fixed" -%}
{%- set methods = {
    'churn_rate_difference/rate':
        churn_days ~ "-day churn probability 1-exp(-" ~ churn_days ~ "h), treated minus control; h = churns per"
        ~ " customer-day after the first voice vs before it or never (nor a role mate), days before any SLA breach"
        ~ " only; exact strata (tier x AUM band x tenure band), control standardised to the treated person-time;"
        ~ " Poisson score intervals (control with effective person-time), MOVER (Newcombe) difference",
    'aum_at_risk/rate':
        "sum of AUM on the signal date x (p_hat - p0) x " ~ var('aum_margin_bps') ~ " bps; " ~ churn_days
        ~ "-day churn probabilities from person-time hazards before any SLA breach, p0 of the segment customers"
        ~ " who never voiced it; Poisson score intervals, MOVER (Newcombe) difference, scaled",
    'cross_sell_uplift/rate':
        "N x (conv_t - conv_c) x first-year margin " ~ product_margin ~ " x average new-holding amount; conv = new"
        ~ " holdings per customer in the " ~ conversion_days ~ " days after the first voice (rate per customer-day x "
        ~ conversion_days ~ ") vs customer-days not yet voiced; exact strata (and funds window unless a funds"
        ~ " signal), standardised to the treated person-time; fully observed windows only; Poisson score intervals"
        ~ " (control with effective person-time), MOVER (Newcombe) difference, scaled",
    'cross_sell_uplift/proportion':
        "N_treated x (conv_t - conv_c) x first-year margin " ~ product_margin ~ " x average new-holding amount; conv ="
        ~ " share with a new holding in the " ~ conversion_days ~ " days after the " ~ follow_up_days ~ "-day contact"
        ~ " window; exact strata, control standardised to the treated; fully observed windows only; Wilson intervals"
        ~ " (control with effective n), Newcombe hybrid score difference, scaled",
    'retention_difference/rate':
        churn_days ~ "-day retention exp(-" ~ churn_days ~ "h), treated minus control; h = churns per customer-day from"
        ~ " the index on; exact strata, control standardised to the treated person-time; Poisson score intervals"
        ~ " (control with effective person-time), MOVER (Newcombe) difference",
    'did_net_aum_flow/mean':
        "difference in differences of monthly net AUM flow, (flow m+1 - flow m-1) around the index month m, treated"
        ~ " minus control of the same stratum and month, weighted by treated; normal interval with pooled within-cell"
        ~ " variance; pre_trend_ok = placebo (flow m-1 - flow m-2) interval contains 0",
    'programme_roi/rate': roi_method,
    'programme_roi/proportion': roi_method,
} -%}
{%- set on_scale = "case metric when 'retention_difference' then exp(-" ~ churn_days ~ " * (RATE))"
    ~ " when 'cross_sell_uplift' then " ~ conversion_days ~ " * (RATE)"
    ~ " else 1 - exp(-" ~ churn_days ~ " * (RATE)) end" -%}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

signal_cells as (
    select signal_cells.*
    from {{ ref('int_signal_effect_cells') }} as signal_cells
    inner join as_of_windows
        on as_of_windows.as_of_month = signal_cells.as_of_month
),

programme_cells as (
    select programme_cells.*
    from {{ ref('int_programme_effect_cells') }} as programme_cells
    inner join as_of_windows
        on as_of_windows.as_of_month = programme_cells.as_of_month
),

programmes as (
    select * from {{ ref('programmes') }}
),

cells as (
    select * from signal_cells
    union all
    select * from programme_cells
),

-- rate -----------------------------------------------------------------------------------------------------

rate_cells as (
    select
        cells.*,
        cells.treated_exposure
            / sum(cells.treated_exposure) over (partition by as_of_month, signal, segment, metric) as weight
    from cells
    where estimator = 'rate'
),

rate_groups as (
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        metric,
        'rate' as estimator,
        sum(treated_n) as n_treated,
        sum(control_n) as n_control,
        sum(treated_events) as treated_events,
        sum(treated_exposure) as treated_exposure,
        sum(weight * control_events / control_exposure) as control_rate,
        {{ effective_size('weight', 'control_exposure') }} as control_effective_exposure,
        sum(treated_aum) as treated_aum,
        max(amount_per_event) as amount_per_event
    from rate_cells
    group by as_of_month, signal_level, signal, segment, metric
),

rate_bounds as (
    select
        rate_groups.*,
        treated_events / treated_exposure as treated_rate,
        {{ poisson_rate_low('treated_events', 'treated_exposure') }} as treated_rate_low,
        {{ poisson_rate_high('treated_events', 'treated_exposure') }} as treated_rate_high,
        {{ poisson_rate_low('control_rate * control_effective_exposure', 'control_effective_exposure') }}
            as control_rate_low,
        {{ poisson_rate_high('control_rate * control_effective_exposure', 'control_effective_exposure') }}
            as control_rate_high
    from rate_groups
),

-- the scales are monotone, so the interval of a value is the scaled interval of its rate (retention swaps ends)
rate_values as (
    select
        as_of_month, signal_level, signal, segment, metric, estimator, n_treated, n_control, treated_aum,
        amount_per_event, treated_exposure,
        {{ on_scale | replace('RATE', 'treated_rate') }} as treated_value,
        least({{ on_scale | replace('RATE', 'treated_rate_low') }}, {{ on_scale | replace('RATE', 'treated_rate_high') }})
            as treated_low,
        greatest({{ on_scale | replace('RATE', 'treated_rate_low') }}, {{ on_scale | replace('RATE', 'treated_rate_high') }})
            as treated_high,
        {{ on_scale | replace('RATE', 'control_rate') }} as control_value,
        least({{ on_scale | replace('RATE', 'control_rate_low') }}, {{ on_scale | replace('RATE', 'control_rate_high') }})
            as control_low,
        greatest({{ on_scale | replace('RATE', 'control_rate_low') }}, {{ on_scale | replace('RATE', 'control_rate_high') }})
            as control_high
    from rate_bounds
),

-- proportion -----------------------------------------------------------------------------------------------

proportion_cells as (
    select
        cells.*,
        cast(cells.treated_n as numeric)
            / sum(cells.treated_n) over (partition by as_of_month, signal, segment, metric) as weight
    from cells
    where estimator = 'proportion'
),

proportion_groups as (
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        metric,
        'proportion' as estimator,
        sum(treated_n) as n_treated,
        sum(control_n) as n_control,
        sum(treated_events) / sum(treated_n) as treated_value,
        sum(weight * control_events / control_n) as control_value,
        {{ effective_size('weight', 'control_n') }} as control_effective_n,
        max(amount_per_event) as amount_per_event
    from proportion_cells
    group by as_of_month, signal_level, signal, segment, metric
),

proportion_values as (
    select
        as_of_month, signal_level, signal, segment, metric, estimator, n_treated, n_control,
        cast(null as numeric) as treated_aum,
        amount_per_event,
        cast(n_treated as numeric) as treated_exposure,
        treated_value,
        {{ wilson_low('treated_value', 'n_treated') }} as treated_low,
        {{ wilson_high('treated_value', 'n_treated') }} as treated_high,
        control_value,
        {{ wilson_low('control_value', 'control_effective_n') }} as control_low,
        {{ wilson_high('control_value', 'control_effective_n') }} as control_high
    from proportion_groups
),

-- two-group differences and their money -------------------------------------------------------------------

group_values as (
    select * from rate_values
    union all
    select * from proportion_values
),

differences as (
    select
        group_values.*,
        treated_value - control_value as difference,
        {{ mover_difference_low('treated_value', 'treated_low', 'treated_high',
                                'control_value', 'control_low', 'control_high') }}
            as difference_low,
        {{ mover_difference_high('treated_value', 'treated_low', 'treated_high',
                                 'control_value', 'control_low', 'control_high') }}
            as difference_high,
        -- money per unit of difference: AUM at risk = Σ AUMᵢ × Δp × margin; uplift = N × Δconv × margin × amount,
        -- N of a rate = the treated's window-days in whole conversion windows (a window cut short by churn counts
        -- for its part)
        case metric
            when 'aum_at_risk' then treated_aum * {{ margin_rate }}
            when 'cross_sell_uplift' then
                case estimator when 'rate' then treated_exposure / {{ conversion_days }} else n_treated end
                * {{ product_margin }} * coalesce(amount_per_event, 0)
            else 1
        end as scale
    from group_values
),

two_group_effects as (
    select
        as_of_month, signal_level, signal, segment, metric, estimator, n_treated, n_control,
        difference * scale as estimate,
        difference_low * scale as ci_low,
        difference_high * scale as ci_high,
        treated_value,
        control_value,
        cast(null as boolean) as pre_trend_ok,
        treated_aum
    from differences
),

-- mean (difference in differences) ----------------------------------------------------------------------------

mean_cells as (
    select
        cells.*,
        cast(cells.treated_n as numeric)
            / sum(cells.treated_n) over (partition by as_of_month, signal, segment, metric) as weight,
        case when cells.placebo_treated_sum is not null then
            cast(cells.treated_n as numeric) / sum(cells.treated_n) filter (where cells.placebo_treated_sum is not null)
                over (partition by as_of_month, signal, segment, metric)
        end as placebo_weight,
        cells.treated_sum / cells.treated_n as treated_mean,
        cells.control_sum / cells.control_n as control_mean,
        cells.placebo_treated_sum / cells.treated_n as placebo_treated_mean,
        cells.placebo_control_sum / cells.control_n as placebo_control_mean
    from cells
    where estimator = 'mean'
),

-- pooled within-cell variance; a cell of one treated and one control has no within-group spread, so it takes
-- the variance of its two values together
mean_variances as (
    select
        mean_cells.*,
        case
            when treated_n + control_n > 2 then
                ((treated_sumsq - power(treated_sum, 2) / treated_n) + (control_sumsq - power(control_sum, 2) / control_n))
                / (treated_n + control_n - 2)
            else
                ((treated_sumsq + control_sumsq) - power(treated_sum + control_sum, 2) / (treated_n + control_n))
                / (treated_n + control_n - 1)
        end as cell_variance,
        case
            when placebo_treated_sum is null then null
            when treated_n + control_n > 2 then
                ((placebo_treated_sumsq - power(placebo_treated_sum, 2) / treated_n)
                    + (placebo_control_sumsq - power(placebo_control_sum, 2) / control_n))
                / (treated_n + control_n - 2)
            else
                ((placebo_treated_sumsq + placebo_control_sumsq)
                    - power(placebo_treated_sum + placebo_control_sum, 2) / (treated_n + control_n))
                / (treated_n + control_n - 1)
        end as placebo_cell_variance
    from mean_cells
),

mean_groups as (
    select
        as_of_month,
        signal_level,
        signal,
        segment,
        metric,
        'mean' as estimator,
        sum(treated_n) as n_treated,
        sum(control_n) as n_control,
        sum(weight * treated_mean) as treated_value,
        sum(weight * control_mean) as control_value,
        sum(weight * (treated_mean - control_mean)) as estimate,
        sqrt(sum(power(weight, 2) * cell_variance * (1.0 / treated_n + 1.0 / control_n))) as standard_error,
        sum(placebo_weight * (placebo_treated_mean - placebo_control_mean)) as placebo_estimate,
        sqrt(sum(power(placebo_weight, 2) * placebo_cell_variance * (1.0 / treated_n + 1.0 / control_n)))
            as placebo_standard_error
    from mean_variances
    group by as_of_month, signal_level, signal, segment, metric
),

mean_effects as (
    select
        as_of_month, signal_level, signal, segment, metric, estimator, n_treated, n_control,
        estimate,
        {{ normal_low('estimate', 'standard_error') }} as ci_low,
        {{ normal_high('estimate', 'standard_error') }} as ci_high,
        treated_value,
        control_value,
        -- the placebo difference (month m − 1 against m − 2, before any signal) must be compatible with 0
        {{ normal_low('placebo_estimate', 'placebo_standard_error') }} <= 0
            and {{ normal_high('placebo_estimate', 'placebo_standard_error') }} >= 0 as pre_trend_ok,
        cast(null as numeric) as treated_aum
    from mean_groups
),

-- programme ROI ------------------------------------------------------------------------------------------------

programme_benefits as (
    select
        two_group_effects.*,
        programmes.cost_per_treated_cny,
        -- retention: the retained AUM's annual margin; cross-sell: the uplift is already money
        case programmes.benefit_metric
            when 'retention_difference' then two_group_effects.treated_aum * {{ margin_rate }}
            else 1
        end as money_per_unit,
        two_group_effects.n_treated * programmes.cost_per_treated_cny as programme_cost
    from two_group_effects
    inner join programmes
        on programmes.programme = two_group_effects.signal
        and programmes.benefit_metric = two_group_effects.metric
    where two_group_effects.signal_level = 'programme'
),

roi_effects as (
    select
        as_of_month, signal_level, signal, segment,
        'programme_roi' as metric,
        estimator,
        n_treated, n_control,
        (estimate * money_per_unit - programme_cost) / programme_cost as estimate,
        (ci_low * money_per_unit - programme_cost) / programme_cost as ci_low,
        (ci_high * money_per_unit - programme_cost) / programme_cost as ci_high,
        estimate * money_per_unit as treated_value,
        programme_cost as control_value,
        cast(null as boolean) as pre_trend_ok,
        cast(null as numeric) as treated_aum
    from programme_benefits
),

effects as (
    select * from two_group_effects
    union all
    select * from mean_effects
    union all
    select * from roi_effects
),

final as (
    select
        effects.as_of_month,
        effects.signal,
        cast(effects.signal_level as text) as signal_level,
        effects.segment,
        effects.metric,
        cast(round(effects.estimate, 6) as numeric(24, 6)) as estimate,
        cast(round(effects.ci_low, 6) as numeric(24, 6)) as ci_low,
        cast(round(effects.ci_high, 6) as numeric(24, 6)) as ci_high,
        cast(effects.n_treated as integer) as n_treated,
        cast(effects.n_control as integer) as n_control,
        case effects.metric || '/' || effects.estimator
            {%- for key, text in methods.items() %}
            when '{{ key }}' then '{{ text }}'
            {%- endfor %}
        end as method,
        case effects.metric
            when 'churn_rate_difference' then 'probability'
            when 'retention_difference' then 'probability'
            when 'did_net_aum_flow' then 'CNY per customer'
            when 'programme_roi' then 'ratio'
            else 'CNY'
        end as unit,
        cast(round(effects.treated_value, 6) as numeric(24, 6)) as treated_value,
        cast(round(effects.control_value, 6) as numeric(24, 6)) as control_value,
        effects.pre_trend_ok,
        as_of_windows.cutoff_on,
        as_of_windows.window_start_on
    from effects
    inner join as_of_windows
        on as_of_windows.as_of_month = effects.as_of_month
)

select * from final
