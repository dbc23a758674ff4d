{{
    config(
        unique_key=['as_of_month', 'agent_id'],
        indexes=[{'columns': ['as_of_month', 'agent_id'], 'unique': true}],
        pre_hook=["{{ delete_run_months('as_of_month') }}"]
    )
}}

{#-
    Per agent or RM per month: what they said (caution phrases, guaranteed-return promises) and what followed for
    the customers they served (complaints, NPS, conversion after opportunity signals), each rate with its counts
    and a 95 % interval. A month's row uses all of that month's data landed so far (data_through_date = least(month
    end, the latest customer snapshot landed)): a night recomputes its month with the data so far, a history load
    every month it touches, a re-run of an older date (backfill) its month from all its data, and all of them
    leave the same rows. Windows that follow a conversation are counted in the month they close in, so every
    conversation counted had its whole window observed. Formulas: agent_scorecard.yml.
-#}
{%- set outcome_days = var('scorecard_outcome_days') | int -%}
{%- set follow_up_days = var('rm_follow_up_days') | int -%}
{%- set conversion_days = var('conversion_window_days') | int -%}
{%- set reach_back = [outcome_days, follow_up_days + conversion_days] | max -%}
{%- set dates = run_dates() -%}
{%- if is_incremental() and execute and (dates is not none or writes_data()) -%}
    {%- if dates is none -%}
        {{ exceptions.raise_compiler_error("an incremental build needs the business dates to rebuild: set "
            ~ "VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO for a range); or rebuild everything with --full-refresh") }}
    {%- endif -%}
    {#- the first day any window of the run's months reaches back to, and the run's first month -#}
    {%- set first_month = "cast(date_trunc('month', " ~ dates.first ~ ") as date)" -%}
    {%- set reach_from = first_month ~ " - " ~ reach_back -%}
    {%- set last_month_end = "cast(date_trunc('month', " ~ dates.last ~ ") + interval '1 month' - interval '1 day' as date)" -%}
{%- endif -%}

with

-- inputs from reach_from, the first day a window of the run's months reaches back to
conversations as (
    select * from {{ ref('int_agent_conversations_scored') }}
    {%- if is_incremental() %}
    where business_date between {{ reach_from }} and {{ last_month_end }}
    {%- endif %}
),

-- the latest date core banking has landed, within the run's last month
run_end as (
    select max(business_date) as last_date from {{ ref('stg_corebank__customers') }}
    {%- if is_incremental() %}
    where business_date <= {{ last_month_end }}
    {%- endif %}
),

opportunities as (
    select * from {{ ref('int_customer_opportunities_voiced') }}
    {%- if is_incremental() %}
    where business_date between {{ reach_from }} and {{ last_month_end }}
    {%- endif %}
),

-- each ticket once, from the version landed on its creation day
tickets as (
    select
        ticket_id,
        customer_id,
        created_at,
        business_date as created_on
    from {{ ref('stg_ticketing__tickets') }}
    where business_date = {{ to_business_date('created_at') }}
    {%- if is_incremental() %}
        and business_date between {{ reach_from }} and {{ last_month_end }}
    {%- endif %}
),

nps_responses as (
    select * from {{ ref('stg_survey__responses') }}
    where survey_type = 'nps'
    {%- if is_incremental() %}
        and business_date between {{ first_month }} and {{ last_month_end }}
    {%- endif %}
),

holdings_opened as (
    select * from {{ ref('int_holdings_opened') }}
    {%- if is_incremental() %}
    where opened_on between {{ reach_from }} and {{ last_month_end }}
    {%- endif %}
),

months as (
    select
        cast(month_start as date) as as_of_month,
        least(cast(month_start + interval '1 month' - interval '1 day' as date), run_end.last_date) as data_through_date
    from run_end
    cross join generate_series(
        {%- if is_incremental() %}
        date_trunc('month', {{ dates.first }}),
        {%- else %}
        (select date_trunc('month', min(business_date)) from {{ ref('int_agent_conversations_scored') }}),
        {%- endif %}
        date_trunc('month', run_end.last_date),
        interval '1 month'
    ) as month_start
),

-- what the agent said in the month's conversations
speech as (
    select
        months.as_of_month,
        conversations.agent_id,
        count(*) as conversations,
        count(distinct conversations.customer_id) as customers_served,
        sum(conversations.agent_utterances) as agent_utterances,
        sum(conversations.caution_utterances) as caution_utterances,
        sum(conversations.promise_utterances) as promise_utterances,
        count(*) filter (where conversations.promise_utterances > 0) as conversations_with_promise
    from months
    inner join conversations
        on conversations.business_date between months.as_of_month and months.data_through_date
    group by months.as_of_month, conversations.agent_id
),

-- the conversations after which the customer opened a ticket within the outcome window: from the conversation's
-- start to its date + scorecard_outcome_days
conversations_followed_by_complaint as (
    select distinct
        conversations.business_date,
        conversations.conversation_id
    from conversations
    inner join tickets
        on tickets.customer_id = conversations.customer_id
        and tickets.created_at >= conversations.started_at
        and tickets.created_on <= conversations.business_date + {{ outcome_days }}
),

-- conversations whose outcome window closes in the month
complaints as (
    select
        months.as_of_month,
        conversations.agent_id,
        count(*) as complaint_cohort_conversations,
        count(followed.conversation_id) as conversations_followed_by_complaint
    from months
    inner join conversations
        on conversations.business_date + {{ outcome_days }} between months.as_of_month and months.data_through_date
    left join conversations_followed_by_complaint as followed
        on followed.business_date = conversations.business_date
        and followed.conversation_id = conversations.conversation_id
    group by months.as_of_month, conversations.agent_id
),

-- NPS responses of the month, each counted once for every agent who served the customer in the
-- scorecard_outcome_days before it
nps as (
    select
        months.as_of_month,
        conversations.agent_id,
        count(distinct nps_responses.response_id) as nps_responses,
        count(distinct nps_responses.response_id)
            filter (where nps_responses.score >= {{ var('nps_promoter_min_score') | int }}) as nps_promoters,
        count(distinct nps_responses.response_id)
            filter (where nps_responses.score <= {{ var('nps_detractor_max_score') | int }}) as nps_detractors
    from months
    inner join nps_responses
        on nps_responses.business_date between months.as_of_month and months.data_through_date
    inner join conversations
        on conversations.customer_id = nps_responses.customer_id
        and conversations.started_at < nps_responses.submitted_at
        and conversations.business_date >= nps_responses.business_date - {{ outcome_days }}
    group by months.as_of_month, conversations.agent_id
),

-- each agent's first conversation with the customer after an opportunity signal, within rm_follow_up_days
follow_ups as (
    select
        opportunities.business_date as signal_date,
        opportunities.customer_id,
        conversations.agent_id,
        min(conversations.started_at) as followed_up_at,
        min(conversations.business_date) as followed_up_on
    from opportunities
    inner join conversations
        on conversations.customer_id = opportunities.customer_id
        and conversations.started_at > opportunities.first_signal_at
        and conversations.business_date <= opportunities.business_date + {{ follow_up_days }}
    group by opportunities.business_date, opportunities.customer_id, conversations.agent_id
),

-- follow-ups after which the customer opened a new holding within conversion_window_days
converted_follow_ups as (
    select distinct
        follow_ups.signal_date,
        follow_ups.customer_id,
        follow_ups.agent_id
    from follow_ups
    inner join holdings_opened
        on holdings_opened.customer_id = follow_ups.customer_id
        and holdings_opened.opened_at > follow_ups.followed_up_at
        and holdings_opened.opened_on <= follow_ups.followed_up_on + {{ conversion_days }}
),

-- follow-ups whose conversion window (follow-up day + conversion_window_days) closes in the month
conversions as (
    select
        months.as_of_month,
        follow_ups.agent_id,
        count(*) as opportunities_followed_up,
        count(converted.customer_id) as opportunities_converted
    from months
    inner join follow_ups
        on follow_ups.followed_up_on + {{ conversion_days }} between months.as_of_month and months.data_through_date
    left join converted_follow_ups as converted
        on converted.signal_date = follow_ups.signal_date
        and converted.customer_id = follow_ups.customer_id
        and converted.agent_id = follow_ups.agent_id
    group by months.as_of_month, follow_ups.agent_id
),

agent_months as (
    select as_of_month, agent_id from speech
    union
    select as_of_month, agent_id from complaints
    union
    select as_of_month, agent_id from nps
    union
    select as_of_month, agent_id from conversions
),

-- RMs are the agents named as a customer's relationship manager in the customer snapshot of data_through_date
customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {%- if is_incremental() %}
    where business_date between {{ first_month }} and {{ last_month_end }}
    {%- endif %}
),

relationship_managers as (
    select distinct
        months.as_of_month,
        customers.rm_id
    from months
    inner join customers
        on customers.business_date = months.data_through_date
),

counts as (
    select
        agent_months.as_of_month,
        agent_months.agent_id,
        relationship_managers.rm_id is not null as is_relationship_manager,
        months.data_through_date,
        coalesce(speech.conversations, 0) as conversations,
        coalesce(speech.customers_served, 0) as customers_served,
        coalesce(speech.agent_utterances, 0) as agent_utterances,
        coalesce(speech.caution_utterances, 0) as caution_utterances,
        coalesce(speech.promise_utterances, 0) as promise_utterances,
        coalesce(speech.conversations_with_promise, 0) as conversations_with_promise,
        coalesce(complaints.complaint_cohort_conversations, 0) as complaint_cohort_conversations,
        coalesce(complaints.conversations_followed_by_complaint, 0) as conversations_followed_by_complaint,
        coalesce(nps.nps_responses, 0) as nps_responses,
        coalesce(nps.nps_promoters, 0) as nps_promoters,
        coalesce(nps.nps_detractors, 0) as nps_detractors,
        coalesce(conversions.opportunities_followed_up, 0) as opportunities_followed_up,
        coalesce(conversions.opportunities_converted, 0) as opportunities_converted
    from agent_months
    inner join months
        on months.as_of_month = agent_months.as_of_month
    left join relationship_managers
        on relationship_managers.as_of_month = agent_months.as_of_month
        and relationship_managers.rm_id = agent_months.agent_id
    left join speech
        on speech.as_of_month = agent_months.as_of_month
        and speech.agent_id = agent_months.agent_id
    left join complaints
        on complaints.as_of_month = agent_months.as_of_month
        and complaints.agent_id = agent_months.agent_id
    left join nps
        on nps.as_of_month = agent_months.as_of_month
        and nps.agent_id = agent_months.agent_id
    left join conversions
        on conversions.as_of_month = agent_months.as_of_month
        and conversions.agent_id = agent_months.agent_id
),

-- each rate x / n with its 95 % Wilson score interval (macros/intervals.sql); null when n = 0
{%- set rate_metrics = [
    ('caution_density', 'caution_utterances', 'agent_utterances'),
    ('promise_rate', 'conversations_with_promise', 'conversations'),
    ('complaint_rate', 'conversations_followed_by_complaint', 'complaint_cohort_conversations'),
    ('conversion_rate', 'opportunities_converted', 'opportunities_followed_up'),
] %}
rates as (
    select
        counts.*
        {%- for name, x, n in rate_metrics %},
        cast(round({{ x }}::numeric / nullif({{ n }}, 0), 6) as numeric(10, 6)) as {{ name }},
        cast(round(cast(case when {{ n }} > 0 then
            {{ wilson_low('cast(' ~ x ~ ' as double precision) / ' ~ n, n) }} end as numeric), 6) as numeric(10, 6))
            as {{ name }}_ci_low,
        cast(round(cast(case when {{ n }} > 0 then
            {{ wilson_high('cast(' ~ x ~ ' as double precision) / ' ~ n, n) }} end as numeric), 6) as numeric(10, 6))
            as {{ name }}_ci_high
        {%- endfor %}
    from counts
),

final as (
    select
        as_of_month,
        cast(agent_id as text) as agent_id,
        cast(case when is_relationship_manager then 'relationship_manager' else 'agent' end as text) as agent_type,
        data_through_date,
        cast(conversations as integer) as conversations,
        cast(customers_served as integer) as customers_served,
        cast(agent_utterances as integer) as agent_utterances,
        cast(caution_utterances as integer) as caution_utterances,
        caution_density,
        caution_density_ci_low,
        caution_density_ci_high,
        cast(promise_utterances as integer) as promise_utterances,
        cast(conversations_with_promise as integer) as conversations_with_promise,
        promise_rate,
        promise_rate_ci_low,
        promise_rate_ci_high,
        cast(complaint_cohort_conversations as integer) as complaint_cohort_conversations,
        cast(conversations_followed_by_complaint as integer) as conversations_followed_by_complaint,
        complaint_rate,
        complaint_rate_ci_low,
        complaint_rate_ci_high,
        cast(nps_responses as integer) as nps_responses,
        cast(nps_promoters as integer) as nps_promoters,
        cast(nps_detractors as integer) as nps_detractors,
        cast(round(100.0 * (nps_promoters - nps_detractors) / nullif(nps_responses, 0), 2) as numeric(7, 2)) as nps,
        -- the NPS interval of the VoC marts (macros/voc_intervals.sql), a fraction there, NPS points here
        cast(round(cast(100 * {{ voc_nps_low('nps_promoters', 'nps_detractors', 'nps_responses') }}
            as numeric), 2) as numeric(7, 2)) as nps_ci_low,
        cast(round(cast(100 * {{ voc_nps_high('nps_promoters', 'nps_detractors', 'nps_responses') }}
            as numeric), 2) as numeric(7, 2)) as nps_ci_high,
        cast(opportunities_followed_up as integer) as opportunities_followed_up,
        cast(opportunities_converted as integer) as opportunities_converted,
        conversion_rate,
        conversion_rate_ci_low,
        conversion_rate_ci_high
    from rates
)

select * from final
