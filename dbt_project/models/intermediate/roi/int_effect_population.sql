{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['as_of_month'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_months('as_of_month') }}"],
        indexes=[{'columns': ['as_of_month', 'customer_id'], 'unique': true}]
    )
}}

{#-
    Every customer of an effect month's look-back window with what the effect estimates need of them:
    - their matching stratum on their first date in the window (before any signal they voice in it, so a signal
      never moves its own stratum);
    - their time at risk of churning: from entry to churn (the churn day included) or to the last day seen;
      for the signal comparisons only the part before their first SLA-breached ticket (a breach multiplies the
      churn hazard whatever the customer said, so it would blur every signal's difference);
    - their new holdings, and the conversion window of their first funds signal (role funds_signal): the
      bank's main conversion trigger, on which conversion comparisons of other signals are matched.
-#}

{%- set follow_up_days = var('rm_follow_up_days') | int -%}
{%- set conversion_days = var('conversion_window_days') | int -%}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

strata_daily as (
    select * from {{ ref('int_customer_strata_daily') }}
    {{ effect_input_filter('business_date') }}
),

churn_events as (
    select * from {{ ref('stg_corebank__churn_events') }}
    {{ effect_input_filter('business_date') }}
),

holdings_opened as (
    select * from {{ ref('int_holdings_opened') }}
    {{ effect_input_filter('opened_on') }}
),

sla_tickets as (
    select sla_tickets.*
    from {{ ref('int_ticket_sla_outcomes') }} as sla_tickets
    inner join as_of_windows
        on as_of_windows.as_of_month = sla_tickets.as_of_month
),

first_voiced as (
    select * from {{ ref('int_signal_first_voiced') }}
),

signal_roles as (
    select * from {{ ref('signal_roles') }}
),

presence as (
    select
        as_of_windows.as_of_month,
        as_of_windows.cutoff_on,
        strata_daily.customer_id,
        min(strata_daily.business_date) as entry_on,
        max(strata_daily.business_date) as last_seen_on
    from as_of_windows
    inner join strata_daily
        on strata_daily.business_date between as_of_windows.window_start_on and as_of_windows.cutoff_on
    group by as_of_windows.as_of_month, as_of_windows.cutoff_on, strata_daily.customer_id
),

first_churn as (
    select
        as_of_windows.as_of_month,
        churn_events.customer_id,
        min(churn_events.business_date) as churned_on
    from as_of_windows
    inner join churn_events
        on churn_events.business_date between as_of_windows.window_start_on and as_of_windows.cutoff_on
    group by as_of_windows.as_of_month, churn_events.customer_id
),

funds_triggers as (
    select
        first_voiced.customer_id,
        min(first_voiced.first_voiced_on) as funds_signal_on
    from first_voiced
    inner join signal_roles
        on signal_roles.signal = first_voiced.signal
        and signal_roles.signal_level = first_voiced.signal_level
    where signal_roles.role = 'funds_signal'
    group by first_voiced.customer_id
),

at_risk as (
    select
        presence.as_of_month,
        presence.customer_id,
        presence.entry_on,
        -- a churn is the end of the customer's time at risk; one before they entered the window is not theirs to count
        case when first_churn.churned_on >= presence.entry_on then first_churn.churned_on end as churned_on,
        case
            when first_churn.churned_on >= presence.entry_on then first_churn.churned_on
            else presence.last_seen_on
        end as exit_on,
        -- the funds signal's conversion window: the contact window, then the conversion window after it
        case when funds_triggers.funds_signal_on <= presence.cutoff_on then funds_triggers.funds_signal_on + 1 end
            as funds_window_from,
        case
            when funds_triggers.funds_signal_on <= presence.cutoff_on
                then funds_triggers.funds_signal_on + {{ follow_up_days + conversion_days }}
        end as funds_window_to
    from presence
    left join first_churn
        on first_churn.as_of_month = presence.as_of_month
        and first_churn.customer_id = presence.customer_id
    left join funds_triggers
        on funds_triggers.customer_id = presence.customer_id
),

first_breaches as (
    select
        sla_tickets.as_of_month,
        sla_tickets.customer_id,
        min(sla_tickets.deadline_on) as first_breach_on
    from sla_tickets
    inner join at_risk
        on at_risk.as_of_month = sla_tickets.as_of_month
        and at_risk.customer_id = sla_tickets.customer_id
        and sla_tickets.deadline_on between at_risk.entry_on and at_risk.exit_on
    where not sla_tickets.is_resolved_within_sla
    group by sla_tickets.as_of_month, sla_tickets.customer_id
),

new_holdings as (
    select
        at_risk.as_of_month,
        at_risk.customer_id,
        count(*) as new_holdings,
        count(*) filter (
            where holdings_opened.opened_on between at_risk.funds_window_from and at_risk.funds_window_to
        ) as funds_window_holdings,
        sum(holdings_opened.holding_amount) as new_holdings_amount
    from at_risk
    inner join holdings_opened
        on holdings_opened.customer_id = at_risk.customer_id
        and holdings_opened.opened_on between at_risk.entry_on and at_risk.exit_on
    group by at_risk.as_of_month, at_risk.customer_id
),

-- the signal comparisons of churn stop the day before the first breach
churn_spans as (
    select
        at_risk.*,
        first_breaches.first_breach_on,
        case
            when first_breaches.first_breach_on is null then at_risk.exit_on
            else least(at_risk.exit_on, first_breaches.first_breach_on - 1)
        end as churn_exit_on
    from at_risk
    left join first_breaches
        on first_breaches.as_of_month = at_risk.as_of_month
        and first_breaches.customer_id = at_risk.customer_id
),

final as (
    select
        churn_spans.as_of_month,
        churn_spans.customer_id,
        baseline.segment,
        baseline.stratum,
        cast(baseline.total_aum as numeric(20, 2)) as baseline_aum,
        churn_spans.entry_on,
        churn_spans.exit_on,
        churn_spans.churned_on,
        churn_spans.exit_on - churn_spans.entry_on + 1 as at_risk_days,
        churn_spans.first_breach_on,
        churn_spans.churn_exit_on,
        greatest(churn_spans.churn_exit_on - churn_spans.entry_on + 1, 0) as churn_days,
        coalesce(churn_spans.churned_on <= churn_spans.churn_exit_on, false) as is_churned_unbreached,
        churn_spans.funds_window_from,
        churn_spans.funds_window_to,
        case
            when churn_spans.funds_window_from is null then 0
            else greatest(
                least(churn_spans.funds_window_to, churn_spans.exit_on)
                    - greatest(churn_spans.funds_window_from, churn_spans.entry_on) + 1,
                0)
        end as funds_window_days,
        cast(coalesce(new_holdings.new_holdings, 0) as integer) as new_holdings,
        cast(coalesce(new_holdings.funds_window_holdings, 0) as integer) as funds_window_holdings,
        cast(coalesce(new_holdings.new_holdings_amount, 0) as numeric(20, 2)) as new_holdings_amount
    from churn_spans
    -- looked up by key rather than through the strata_daily CTE, which would then be materialised and sorted
    inner join {{ ref('int_customer_strata_daily') }} as baseline
        on baseline.customer_id = churn_spans.customer_id
        and baseline.business_date = churn_spans.entry_on
    left join new_holdings
        on new_holdings.as_of_month = churn_spans.as_of_month
        and new_holdings.customer_id = churn_spans.customer_id
)

select * from final
