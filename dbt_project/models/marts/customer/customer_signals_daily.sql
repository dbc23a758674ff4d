{{
    config(
        unique_key=['business_date', 'customer_id'],
        indexes=[{'columns': ['business_date', 'customer_id'], 'unique': true}]
    )
}}

{#-
    One count column per tag family, <family>_tag_count. The list is written here because the contract (the .yml)
    must name the columns anyway and unit tests cannot see the taxonomy; it cannot drift unnoticed: the singular
    test customer_signals_daily_families_match_taxonomy fails when the taxonomy's families and these columns
    differ, and the enforced contract fails when this list and the .yml differ.
-#}
{%- set families = ['profile', 'preference', 'objection', 'feedback', 'emotion', 'need', 'compliance'] -%}
{%- set lookback_days = var('ticket_open_lookback_days') | int -%}


with

customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter() }}
),

aum as (
    select * from {{ ref('int_customer_aum_summed') }}
    {{ incremental_date_filter() }}
),

tier_bands as (
    select * from {{ ref('tier_bands') }}
),

-- the tier reviewed at the last month end before the date's month, effective for the whole month
month_end_tiers as (
    select * from {{ ref('customer_tiering') }}
    {%- if is_incremental() %}
    where {{ run_months_between("cast(as_of_month + interval '1 month' as date)") }}
    {%- endif %}
),

utterances as (
    select * from {{ ref('int_customer_utterances_aggregated') }}
    {{ incremental_date_filter() }}
),

sentiment as (
    select * from {{ ref('int_customer_sentiment_daily') }}
    {{ incremental_date_filter() }}
),

-- the day's tags straight from staging: int_customer_tags_aggregated's grouping sets keep a date filter from
-- reaching the tags tables (Postgres does not push it through them), so reading it would scan every date
utterance_tags as (
    select * from {{ ref('stg_tags__utterance_tags') }}
    {{ incremental_date_filter() }}
),

tagged_utterances as (
    select * from {{ ref('stg_tags__utterances') }}
    {{ incremental_date_filter() }}
),

taxonomy_codes as (
    select * from {{ ref('stg_tags__taxonomy_codes') }}
),

-- the customer's own words only: the agent's words in the customer's calls are the agent's signal
customer_tags as (
    select
        utterance_tags.business_date,
        tagged_utterances.customer_id,
        taxonomy_codes.tag_code,
        taxonomy_codes.tag_dimension,
        taxonomy_codes.tag_family
    from utterance_tags
    inner join tagged_utterances
        on tagged_utterances.business_date = utterance_tags.business_date
        and tagged_utterances.taxonomy_version = utterance_tags.taxonomy_version
        and tagged_utterances.utterance_id = utterance_tags.utterance_id
    inner join taxonomy_codes
        on taxonomy_codes.tag_code = utterance_tags.tag_code
    where tagged_utterances.speaker = 'customer'
),

signal_roles as (
    select * from {{ ref('signal_roles') }} where role in ('churn_risk', 'hidden_need')
),

conversation_signals as (
    select * from {{ ref('stg_tags__conversation_signals') }}
    {{ incremental_date_filter() }}
),

-- who a ticket is about and when it was created never change, so any landed version tells
tickets as (
    select distinct on (ticket_id)
        ticket_id,
        customer_id,
        {{ to_business_date('created_at') }} as created_on
    from {{ ref('stg_ticketing__tickets') }}
    {{ incremental_date_filter('business_date', lookback_days) }}
    order by ticket_id, business_date
),

ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
    {{ incremental_date_filter('business_date', lookback_days) }}
),

churn_events as (
    select * from {{ ref('stg_corebank__churn_events') }}
    {{ incremental_date_filter() }}
),

holdings_opened as (
    select * from {{ ref('int_holdings_opened') }}
    {{ incremental_date_filter('opened_on') }}
),

signals_per_customer as (
    select
        business_date,
        customer_id,
        {%- for family in families %}
        count(*) filter (where tag_family = '{{ family }}') as {{ family }}_tag_count{% if not loop.last %},{% endif %}
        {%- endfor %}
    from customer_tags
    group by business_date, customer_id
),

role_flags as (
    select
        customer_tags.business_date,
        customer_tags.customer_id,
        bool_or(signal_roles.role = 'churn_risk') as has_anxiety_signal,
        bool_or(signal_roles.role = 'hidden_need') as has_hidden_need
    from customer_tags
    inner join signal_roles
        on (signal_roles.signal_level = 'code' and signal_roles.signal = customer_tags.tag_code)
        or (signal_roles.signal_level = 'dimension' and signal_roles.signal = customer_tags.tag_dimension)
        or (signal_roles.signal_level = 'family' and signal_roles.signal = customer_tags.tag_family)
    group by customer_tags.business_date, customer_tags.customer_id
),

-- caution density of the day's conversations = caution turns / agent turns over all of them (each conversation
-- weighted by its agent turns); conversations without an agent turn say nothing about the agent
caution_per_customer as (
    select
        business_date,
        customer_id,
        sum(agent_turns) as agent_turn_count,
        sum(round(cast(agent_caution_density * agent_turns as numeric))) as agent_caution_turn_count
    from conversation_signals
    where agent_turns > 0
    group by business_date, customer_id
),

-- a ticket's state at the end of each day it had events: that of the day's last event
ticket_day_states as (
    select distinct on (ticket_id, business_date)
        ticket_id,
        business_date,
        event_status in ({% for status in var('ticket_closed_statuses') %}'{{ status }}'{% if not loop.last %}, {% endif %}{% endfor %}) as is_closed
    from ticket_events
    order by ticket_id, business_date, event_at desc, event_seq desc
),

ticket_spells as (
    select
        ticket_day_states.ticket_id,
        tickets.customer_id,
        tickets.created_on,
        ticket_day_states.business_date as state_from,
        lead(ticket_day_states.business_date) over by_day as next_state_on,
        ticket_day_states.is_closed,
        coalesce(lag(ticket_day_states.is_closed) over by_day, false) as was_closed
    from ticket_day_states
    inner join tickets
        on tickets.ticket_id = ticket_day_states.ticket_id
    window by_day as (partition by ticket_day_states.ticket_id order by ticket_day_states.business_date)
),

report_dates as (
    select distinct business_date from customers
),

-- only tickets created within the lookback count, so that a night (which reads that far back) and a full
-- refresh count the same tickets
tickets_per_customer as (
    select
        report_dates.business_date,
        ticket_spells.customer_id,
        count(distinct ticket_spells.ticket_id) filter (where ticket_spells.created_on = report_dates.business_date) as opened,
        count(*) filter (
            where not ticket_spells.is_closed
                and (ticket_spells.next_state_on is null or ticket_spells.next_state_on > report_dates.business_date)
        ) as open_at_day_end,
        count(*) filter (
            where ticket_spells.state_from = report_dates.business_date and ticket_spells.is_closed and not ticket_spells.was_closed
        ) as closed
    from report_dates
    inner join ticket_spells
        on ticket_spells.state_from <= report_dates.business_date
        and (ticket_spells.next_state_on is null or ticket_spells.next_state_on > report_dates.business_date)
        and ticket_spells.created_on > report_dates.business_date - {{ lookback_days }}
    group by report_dates.business_date, ticket_spells.customer_id
),

churn_per_customer as (
    select
        business_date,
        customer_id,
        count(*) as churn_event_count
    from churn_events
    group by business_date, customer_id
),

holdings_per_customer as (
    select
        opened_on as business_date,
        customer_id,
        count(*) as new_holdings_count,
        sum(holding_amount) as new_holdings_amount
    from holdings_opened
    group by opened_on, customer_id
),

final as (
    select
        customers.business_date,
        customers.customer_id,
        customers.tier,
        aum_bands.tier as aum_band_tier,
        month_end_tiers.aum_tier as month_end_tier,
        customers.segment,
        customers.branch_id,
        customers.rm_id,
        cast(coalesce(aum.total_aum, 0) as numeric(20, 2)) as total_aum,
        cast(coalesce(utterances.utterance_count, 0) as integer) as utterance_count,
        cast(coalesce(utterances.customer_utterance_count, 0) as integer) as customer_utterance_count,
        cast(coalesce(utterances.negative_utterance_count, 0) as integer) as negative_utterance_count,
        cast(round(sentiment.mean_sentiment_score, 4) as numeric(6, 4)) as mean_sentiment_score,
        cast(round(sentiment.max_emotion_intensity, 4) as numeric(8, 4)) as max_emotion_intensity,
        cast(round(sentiment.mean_emotion_intensity, 4) as numeric(8, 4)) as mean_emotion_intensity,
        {%- for family in families %}
        cast(coalesce(signals_per_customer.{{ family }}_tag_count, 0) as integer) as {{ family }}_tag_count,
        {%- endfor %}
        coalesce(role_flags.has_anxiety_signal, false) as has_anxiety_signal,
        coalesce(role_flags.has_hidden_need, false) as has_hidden_need,
        cast(coalesce(caution_per_customer.agent_turn_count, 0) as integer) as agent_turn_count,
        cast(round(caution_per_customer.agent_caution_turn_count / caution_per_customer.agent_turn_count, 4) as numeric(6, 4))
            as agent_caution_density,
        cast(coalesce(tickets_per_customer.opened, 0) as integer) as complaint_tickets_opened,
        cast(coalesce(tickets_per_customer.open_at_day_end, 0) as integer) as complaint_tickets_open,
        cast(coalesce(tickets_per_customer.closed, 0) as integer) as complaint_tickets_closed,
        churn_per_customer.customer_id is not null as is_churned,
        cast(coalesce(holdings_per_customer.new_holdings_count, 0) as integer) as new_holdings_count,
        cast(coalesce(holdings_per_customer.new_holdings_amount, 0) as numeric(20, 2)) as new_holdings_amount
    from customers
    left join aum
        on aum.business_date = customers.business_date
        and aum.customer_id = customers.customer_id
    left join tier_bands as aum_bands
        on coalesce(aum.total_aum, 0) >= aum_bands.floor_aum
        and (aum_bands.ceiling_aum is null or coalesce(aum.total_aum, 0) < aum_bands.ceiling_aum)
    left join month_end_tiers
        on month_end_tiers.as_of_month = cast(date_trunc('month', customers.business_date) - interval '1 month' as date)
        and month_end_tiers.customer_id = customers.customer_id
    left join utterances
        on utterances.business_date = customers.business_date
        and utterances.customer_id = customers.customer_id
    left join sentiment
        on sentiment.business_date = customers.business_date
        and sentiment.customer_id = customers.customer_id
    left join signals_per_customer
        on signals_per_customer.business_date = customers.business_date
        and signals_per_customer.customer_id = customers.customer_id
    left join role_flags
        on role_flags.business_date = customers.business_date
        and role_flags.customer_id = customers.customer_id
    left join caution_per_customer
        on caution_per_customer.business_date = customers.business_date
        and caution_per_customer.customer_id = customers.customer_id
    left join tickets_per_customer
        on tickets_per_customer.business_date = customers.business_date
        and tickets_per_customer.customer_id = customers.customer_id
    left join churn_per_customer
        on churn_per_customer.business_date = customers.business_date
        and churn_per_customer.customer_id = customers.customer_id
    left join holdings_per_customer
        on holdings_per_customer.business_date = customers.business_date
        and holdings_per_customer.customer_id = customers.customer_id
)

select * from final
