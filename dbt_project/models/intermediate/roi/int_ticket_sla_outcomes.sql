{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['as_of_month'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_months('as_of_month') }}"],
        indexes=[{'columns': ['as_of_month', 'customer_id']}]
    )
}}

{#-
    Every ticket of an effect month's look-back window whose resolution deadline (created_at + var
    sla_resolution_hours) has passed by the cutoff, resolved by it or breached: the complaint-SLA programme's
    units, and the breach date from which a customer's churn is left out of the signal comparisons.
-#}

{%- set sla_hours = var('sla_resolution_hours') | int -%}

with

as_of_windows as (
    {{ effect_as_of_windows(ref('stg_corebank__customers')) }}
),

tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
    {{ effect_input_filter('business_date') }}
),

ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
    {{ effect_input_filter('business_date') }}
),

-- a ticket is landed again on every update; creation and customer do not change between versions
ticket_deadlines as (
    select
        ticket_id,
        min(customer_id) as customer_id,
        min(business_date) as first_landed_on,
        {{ to_business_date('min(created_at)') }} as created_on,
        min(created_at) + interval '{{ sla_hours }} hours' as deadline_at,
        {{ to_business_date("(min(created_at) + interval '" ~ sla_hours ~ " hours')") }} as deadline_on
    from tickets
    group by ticket_id
),

-- the day the ticket's first resolution within the SLA landed: an effect month sees it from that day on
sla_resolutions as (
    select
        ticket_deadlines.ticket_id,
        min(ticket_events.business_date) as resolved_within_sla_landed_on
    from ticket_deadlines
    inner join ticket_events
        on ticket_events.ticket_id = ticket_deadlines.ticket_id
        and ticket_events.event_at <= ticket_deadlines.deadline_at
    where ticket_events.event_status = 'resolved'
    group by ticket_deadlines.ticket_id
),

final as (
    select
        as_of_windows.as_of_month,
        ticket_deadlines.ticket_id,
        ticket_deadlines.customer_id,
        ticket_deadlines.created_on,
        ticket_deadlines.deadline_on,
        coalesce(sla_resolutions.resolved_within_sla_landed_on <= as_of_windows.cutoff_on, false)
            as is_resolved_within_sla
    from ticket_deadlines
    inner join as_of_windows
        on ticket_deadlines.first_landed_on <= as_of_windows.cutoff_on
        and ticket_deadlines.created_on >= as_of_windows.window_start_on
        and ticket_deadlines.deadline_on <= as_of_windows.cutoff_on
    left join sla_resolutions
        on sla_resolutions.ticket_id = ticket_deadlines.ticket_id
)

select * from final
