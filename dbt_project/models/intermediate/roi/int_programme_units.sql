{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['as_of_month'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_months('as_of_month') }}"],
        indexes=[{'columns': ['as_of_month', 'programme', 'customer_id'], 'unique': true}]
    )
}}

{#-
    The customers of the two programmes per effect month, each with the days and churns they contribute to
    the treated and to the control side (see the .yml for the exact windows):
    - complaint_resolved_within_sla: from the resolution deadline (created_at + var sla_resolution_hours) of the
      customer's first ticket, treated while every ticket whose deadline has passed was resolved by it, control
      from the first breached deadline on. The state follows the customer: a later breach moves them over.
    - rm_follow_up_after_funds_signal: customers who first voiced a funds_signal role signal (seed
      signal_roles); treated when their own RM (agent_id = rm_id) had a CRM conversation with them within var
      rm_follow_up_days days after it, control when not; outcomes from the end of that contact window.
-#}

{%- set follow_up_days = var('rm_follow_up_days') | int -%}
{%- set conversion_days = var('conversion_window_days') | int -%}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

population as (
    select
        population.*,
        as_of_windows.cutoff_on,
        as_of_windows.window_start_on
    from {{ ref('int_effect_population') }} as population
    inner join as_of_windows
        on as_of_windows.as_of_month = population.as_of_month
),

first_voiced as (
    select * from {{ ref('int_signal_first_voiced') }}
),

signal_roles as (
    select * from {{ ref('signal_roles') }}
),

conversations as (
    select * from {{ ref('stg_crm__conversations') }}
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

-- rm_follow_up_after_funds_signal: facts per customer, then per effect month ----------------------------------

funds_triggers as (
    select
        first_voiced.customer_id,
        min(first_voiced.first_voiced_on) as trigger_on
    from first_voiced
    inner join signal_roles
        on signal_roles.signal = first_voiced.signal
        and signal_roles.signal_level = first_voiced.signal_level
    where signal_roles.role = 'funds_signal'
    group by first_voiced.customer_id
),

follow_ups as (
    select
        funds_triggers.customer_id,
        funds_triggers.trigger_on,
        funds_triggers.trigger_on + {{ follow_up_days }} as index_on,
        strata_daily.rm_id
    from funds_triggers
    -- the customer's RM on the day of the signal, looked up by key
    left join {{ ref('int_customer_strata_daily') }} as strata_daily
        on strata_daily.customer_id = funds_triggers.customer_id
        and strata_daily.business_date = funds_triggers.trigger_on
),

rm_contacts as (
    select
        follow_ups.customer_id,
        count(*) as rm_conversations
    from follow_ups
    inner join conversations
        on conversations.customer_id = follow_ups.customer_id
        and conversations.agent_id = follow_ups.rm_id
        and conversations.business_date > follow_ups.trigger_on
        and conversations.business_date <= follow_ups.index_on
    group by follow_ups.customer_id
),

follow_up_conversions as (
    select
        follow_ups.customer_id,
        count(*) as new_holdings
    from follow_ups
    inner join holdings_opened
        on holdings_opened.customer_id = follow_ups.customer_id
        and holdings_opened.opened_on > follow_ups.index_on
        and holdings_opened.opened_on <= follow_ups.index_on + {{ conversion_days }}
    group by follow_ups.customer_id
),

-- the contact window must be over by the cutoff and the customer still at risk after it; a first funds signal
-- before the customer entered the look-back window is out of sight, so that customer is left out
follow_up_units as (
    select
        population.as_of_month,
        'rm_follow_up_after_funds_signal' as programme,
        follow_ups.customer_id,
        follow_ups.trigger_on,
        follow_ups.index_on,
        cast(null as date) as first_breach_on,
        rm_contacts.customer_id is not null as is_treated,
        follow_ups.index_on + {{ conversion_days }} <= population.cutoff_on as is_conversion_observed,
        case
            when follow_ups.index_on + {{ conversion_days }} <= population.cutoff_on
                then follow_up_conversions.customer_id is not null
        end as is_converted
    from follow_ups
    inner join population
        on population.customer_id = follow_ups.customer_id
    left join rm_contacts
        on rm_contacts.customer_id = follow_ups.customer_id
    left join follow_up_conversions
        on follow_up_conversions.customer_id = follow_ups.customer_id
    where follow_ups.index_on <= population.cutoff_on
        and follow_ups.trigger_on >= population.entry_on
        and population.exit_on > follow_ups.index_on
),

-- complaint_resolved_within_sla: per customer and effect month (tickets: int_ticket_sla_outcomes) -------------

-- a customer's tickets with a passed deadline while they were in the window
customer_sla_tickets as (
    select
        sla_tickets.as_of_month,
        sla_tickets.customer_id,
        sla_tickets.deadline_on,
        sla_tickets.is_resolved_within_sla
    from sla_tickets
    inner join population
        on population.as_of_month = sla_tickets.as_of_month
        and population.customer_id = sla_tickets.customer_id
        and sla_tickets.deadline_on between population.entry_on and population.exit_on
),

sla_units as (
    select
        as_of_month,
        'complaint_resolved_within_sla' as programme,
        customer_id,
        min(deadline_on) as trigger_on,
        min(deadline_on) as index_on,
        min(deadline_on) filter (where not is_resolved_within_sla) as first_breach_on,
        coalesce(min(deadline_on) filter (where not is_resolved_within_sla) > min(deadline_on), true) as is_treated,
        cast(null as boolean) as is_conversion_observed,
        cast(null as boolean) as is_converted
    from customer_sla_tickets
    group by as_of_month, customer_id
),

-- both programmes: days at risk and churns on each side --------------------------------------------------------

units as (
    select
        follow_up_units.*,
        -- from the day after the contact window, on one side for good
        case when is_treated then index_on + 1 end as treated_from,
        case when not is_treated then index_on + 1 end as control_from
    from follow_up_units
    union all
    select
        sla_units.*,
        -- the breach multiplies the hazard from the deadline day on, so each side starts on its deadline day;
        -- a customer is treated until their first breach
        case when is_treated then index_on end as treated_from,
        first_breach_on as control_from
    from sla_units
),

final as (
    select
        units.as_of_month,
        units.programme,
        units.customer_id,
        population.segment,
        population.stratum,
        units.trigger_on,
        units.index_on,
        units.is_treated,
        units.is_conversion_observed,
        units.is_converted,
        case
            when units.treated_from is null then 0
            else greatest(
                least(population.exit_on, coalesce(units.control_from - 1, population.exit_on)) - units.treated_from + 1,
                0)
        end as treated_days,
        coalesce(
            population.churned_on >= units.treated_from
            and (units.control_from is null or population.churned_on < units.control_from),
            false
        ) as is_treated_churn,
        case
            when units.control_from is null then 0
            else greatest(population.exit_on - units.control_from + 1, 0)
        end as control_days,
        coalesce(population.churned_on >= units.control_from, false) as is_control_churn,
        cast(coalesce(strata_daily.total_aum, 0) as numeric(20, 2)) as index_aum
    from units
    inner join population
        on population.as_of_month = units.as_of_month
        and population.customer_id = units.customer_id
    left join {{ ref('int_customer_strata_daily') }} as strata_daily
        on strata_daily.customer_id = units.customer_id
        and strata_daily.business_date = units.index_on
)

select * from final
