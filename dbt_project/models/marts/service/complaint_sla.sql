{{
    config(
        unique_key='ticket_id',
        indexes=[
            {'columns': ['ticket_id'], 'unique': true},
            {'columns': ['business_date']},
        ],
        pre_hook=[
            "{% if is_incremental() %}
                delete from {{ this }} where {{ run_dates_between('business_date', var('sla_lookback_days') | int) }}
            {% endif %}"
        ]
    )
}}

{#-
    One row per ticket: its complaint SLAs (投诉时效) judged with the events known on status_as_of_date =
    least(creation date + sla_lookback_days, the latest date landed). A night recomputes every ticket created in the
    lookback before its dates (their events may still arrive); after that a ticket's row is final, so one history
    load and nightly runs give the same rows. Formulas: complaint_sla.yml.
-#}
{%- set lookback = var('sla_lookback_days') | int -%}
{%- set repeat_days = var('repeat_complaint_days') | int -%}
{%- set first_response_hours = var('sla_first_response_hours') | int -%}
{%- set resolution_hours = var('sla_resolution_hours') | int -%}
{%- set revisit_days = var('sla_revisit_working_days') | int -%}
{%- set days_simple = var('regulatory_days_simple') | int -%}
{%- set days_complex = var('regulatory_days_complex') | int -%}
{%- set complex_priorities = var('regulatory_complex_priorities') -%}
{%- if lookback <= days_complex -%}
    {{ exceptions.raise_compiler_error("var sla_lookback_days (" ~ lookback ~ ") must exceed "
        ~ "regulatory_days_complex (" ~ days_complex ~ "): a ticket's row must still be recomputed when its "
        ~ "regulatory deadline passes") }}
{%- endif -%}
{%- set dates = run_dates() -%}

with

-- the latest date the ticketing system has landed: what is known now (a backfill of an older date does not
-- roll tickets back to that date)
run_end as (
    select max(business_date) as last_date from {{ ref('stg_ticketing__tickets') }}
),

-- versions of the run's tickets and of the earlier tickets a repeat complaint looks back to
-- (up to lookback days after the run's last date: a backfill of an older date sees what landed since)
ticket_versions as (
    select * from {{ ref('stg_ticketing__tickets') }}
    {%- if is_incremental() %}
    where {{ run_dates_between(days_before=lookback + repeat_days) }} + {{ lookback }}
    {%- endif %}
),

ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
    {%- if is_incremental() %}
    where {{ run_dates_between(days_before=lookback) }} + {{ lookback }}
    {%- endif %}
),

calendar as (
    select * from {{ ref('int_calendar_days_numbered') }}
),

ticket_clocks as (
    select
        ticket_id,
        min(created_at) as created_at,
        min({{ to_business_date('created_at') }}) as created_on
    from ticket_versions
    group by ticket_id
),

-- the day whose knowledge a ticket's row reflects: its lookback's end, or the latest date landed if sooner
ticket_as_of as (
    select
        ticket_clocks.ticket_id,
        ticket_clocks.created_at,
        ticket_clocks.created_on,
        least(ticket_clocks.created_on + {{ lookback }}, run_end.last_date) as status_as_of_date,
        ticket_clocks.created_on + {{ lookback }} <= run_end.last_date as is_final
    from ticket_clocks
    cross join run_end
    where ticket_clocks.created_on <= run_end.last_date
),

-- attributes from the latest version landed by status_as_of_date
tickets as (
    select distinct on (ticket_versions.ticket_id)
        ticket_as_of.*,
        ticket_versions.customer_id,
        ticket_versions.channel,
        ticket_versions.category,
        ticket_versions.priority,
        ticket_versions.branch_id
    from ticket_versions
    inner join ticket_as_of
        on ticket_as_of.ticket_id = ticket_versions.ticket_id
    where ticket_versions.business_date <= ticket_as_of.status_as_of_date
    order by ticket_versions.ticket_id, ticket_versions.updated_at desc, ticket_versions.business_date desc,
        ticket_versions.loaded_at desc
),

-- the tickets this run writes (the earlier ones only serve the repeat-complaint look-back)
run_tickets as (
    select * from tickets
    {%- if is_incremental() %}
    where {{ run_dates_between('created_on', lookback) }}
    {%- endif %}
),

known_events as (
    select ticket_events.*
    from ticket_events
    inner join run_tickets
        on run_tickets.ticket_id = ticket_events.ticket_id
    where ticket_events.business_date <= run_tickets.status_as_of_date
),

milestones as (
    select
        ticket_id,
        min(event_at) filter (where event_status = 'first_response') as first_response_at,
        min(event_at) filter (where event_status = 'resolved') as first_resolved_at,
        (array_agg(event_status order by event_seq desc))[1] as last_event_status
    from known_events
    group by ticket_id
),

-- a re-opening (回访重开) counts only after the first resolution
first_revisits as (
    select
        known_events.ticket_id,
        min(known_events.event_at) as first_revisit_at
    from known_events
    inner join milestones
        on milestones.ticket_id = known_events.ticket_id
    where known_events.event_status = 'revisited'
        and known_events.event_at > milestones.first_resolved_at
    group by known_events.ticket_id
),

-- the customer's latest earlier ticket of the same category (the same root cause) within repeat_complaint_days
previous_same_cause as (
    select distinct on (run_tickets.ticket_id)
        run_tickets.ticket_id,
        earlier.ticket_id as previous_ticket_id,
        run_tickets.created_on - earlier.created_on as days_since_previous_ticket
    from run_tickets
    inner join tickets as earlier
        on earlier.customer_id = run_tickets.customer_id
        and earlier.category = run_tickets.category
        and (earlier.created_at, earlier.ticket_id) < (run_tickets.created_at, run_tickets.ticket_id)
        and earlier.created_on >= run_tickets.created_on - {{ repeat_days }}
    order by run_tickets.ticket_id, earlier.created_at desc, earlier.ticket_id desc
),

timed as (
    select
        run_tickets.*,
        run_tickets.priority in (
            {%- for priority in complex_priorities %}'{{ priority }}'{% if not loop.last %}, {% endif %}{% endfor -%}
        ) as is_complex,
        -- the end of status_as_of_date: a deadline before it has passed
        cast(run_tickets.status_as_of_date + 1 as timestamp) at time zone '{{ var("business_timezone") }}'
            as known_until,
        run_tickets.created_at + interval '{{ first_response_hours }} hours' as first_response_due_at,
        run_tickets.created_at + interval '{{ resolution_hours }} hours' as resolution_due_at,
        milestones.first_response_at,
        milestones.first_resolved_at,
        {{ to_business_date('milestones.first_resolved_at') }} as resolved_on,
        first_revisits.first_revisit_at,
        {{ to_business_date('first_revisits.first_revisit_at') }} as revisited_on,
        coalesce(milestones.last_event_status, 'created') as last_event_status,
        previous_same_cause.previous_ticket_id,
        previous_same_cause.days_since_previous_ticket
    from run_tickets
    left join milestones
        on milestones.ticket_id = run_tickets.ticket_id
    left join first_revisits
        on first_revisits.ticket_id = run_tickets.ticket_id
    left join previous_same_cause
        on previous_same_cause.ticket_id = run_tickets.ticket_id
),

deadlines as (
    select
        timed.*,
        case when timed.is_complex then {{ days_complex }} else {{ days_simple }} end as regulatory_limit_days,
        created_day.working_day_number as created_working_day_number,
        resolved_day.working_day_number as resolved_working_day_number,
        revisited_day.working_day_number as revisited_working_day_number,
        regulatory_day.next_working_date as regulatory_due_on,
        revisit_due_day.calendar_date as revisit_due_on
    from timed
    left join calendar as created_day
        on created_day.calendar_date = timed.created_on
    left join calendar as resolved_day
        on resolved_day.calendar_date = timed.resolved_on
    left join calendar as revisited_day
        on revisited_day.calendar_date = timed.revisited_on
    -- calendar days, the day of receipt not counted; a last day that is a day off moves to the next working day
    left join calendar as regulatory_day
        on regulatory_day.calendar_date = timed.created_on
            + case when timed.is_complex then {{ days_complex }} else {{ days_simple }} end
    left join calendar as revisit_due_day
        on revisit_due_day.is_working_day
        and revisit_due_day.working_day_number = resolved_day.working_day_number + {{ revisit_days }}
),

judged as (
    select
        deadlines.*,
        case
            when first_response_at is not null then first_response_at > first_response_due_at
            when known_until > first_response_due_at then true
        end as first_response_breached,
        case
            when first_resolved_at is not null then first_resolved_at > resolution_due_at
            when known_until > resolution_due_at then true
        end as resolution_breached,
        case
            when first_revisit_at is not null then revisited_on <= revisit_due_on
            when status_as_of_date >= revisit_due_on then false
        end as revisit_breached,
        case
            when first_resolved_at is not null then resolved_on > regulatory_due_on
            when status_as_of_date > regulatory_due_on then true
        end as regulatory_breached
    from deadlines
),

final as (
    select
        cast(ticket_id as text) as ticket_id,
        created_on as business_date,
        cast(customer_id as text) as customer_id,
        cast(channel as text) as channel,
        cast(category as text) as category,
        cast(priority as text) as priority,
        cast(branch_id as text) as branch_id,
        is_complex,
        created_at,
        status_as_of_date,
        is_final,
        cast(case last_event_status
            when 'created' then 'open'
            when 'first_response' then 'responded'
            when 'revisited' then 'reopened'
            else last_event_status
        end as text) as ticket_status,
        first_response_at,
        cast(round(extract(epoch from first_response_at - created_at) / 3600, 2) as numeric(10, 2))
            as hours_to_first_response,
        first_response_due_at,
        first_response_breached,
        first_resolved_at,
        cast(round(extract(epoch from first_resolved_at - created_at) / 3600, 2) as numeric(10, 2))
            as hours_to_resolution,
        resolution_due_at,
        resolution_breached,
        resolved_working_day_number - created_working_day_number as working_days_to_resolution,
        first_revisit_at is not null as is_revisited,
        first_revisit_at,
        revisit_due_on,
        revisited_working_day_number - resolved_working_day_number as working_days_to_revisit,
        revisit_breached,
        regulatory_limit_days,
        regulatory_due_on,
        regulatory_breached,
        first_response_breached or resolution_breached or revisit_breached or regulatory_breached as any_breached,
        previous_ticket_id is not null as is_repeat_complaint,
        cast(previous_ticket_id as text) as previous_ticket_id,
        days_since_previous_ticket
    from judged
)

select * from final
