{{
    config(
        unique_key=['business_date', 'customer_id'],
        indexes=[{'columns': ['business_date', 'customer_id'], 'unique': true}]
    )
}}

{%- set window_days = var('churn_watch_days') | int %}

with

customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter() }}
),

tier_bands as (
    select * from {{ ref('tier_bands') }}
),

churn_risk_codes as (
    select tag_code from {{ ref('int_signal_role_codes') }} where role = 'churn_risk'
),

evidence as (
    select * from {{ ref('int_customer_signal_evidence') }}
    where tag_code in (select tag_code from churn_risk_codes)
    {%- if is_incremental() %}
        and {{ run_dates_between('business_date', window_days - 1) }}
    {%- endif %}
),

churn_events as (
    select * from {{ ref('stg_corebank__churn_events') }}
    {{ incremental_date_filter('business_date', window_days - 1) }}
),

conversations as (
    select * from {{ ref('stg_crm__conversations') }}
    {{ incremental_date_filter('business_date', window_days - 1) }}
),

-- Each date's customers with what the window ending that day holds for them: their churn-risk utterances and
-- their conversations. One stream aggregated once per customer and date: joining per-customer aggregates to
-- each other makes the planner (which cannot see how many customers are listed) loop over one per row of the
-- other. A customer who already left inside the window is a loss, not a risk.
window_facts as (
    select
        customers.business_date,
        customers.customer_id,
        customers.rm_id,
        'signal' as fact,
        evidence.business_date as fact_on,
        evidence.occurred_at as fact_at,
        evidence.utterance_id,
        evidence.tag_code,
        evidence.tag_label,
        evidence.redacted_text,
        cast(null as text) as agent_id
    from customers
    inner join evidence
        on evidence.customer_id = customers.customer_id
        and evidence.business_date between customers.business_date - {{ window_days - 1 }} and customers.business_date
    union all
    select
        customers.business_date,
        customers.customer_id,
        customers.rm_id,
        'contact',
        conversations.business_date,
        conversations.started_at,
        null, null, null, null,
        conversations.agent_id
    from customers
    inner join conversations
        on conversations.customer_id = customers.customer_id
        and conversations.business_date between customers.business_date - {{ window_days - 1 }} and customers.business_date
    where exists (
        select 1
        from evidence
        where evidence.customer_id = customers.customer_id
            and evidence.business_date between customers.business_date - {{ window_days - 1 }} and customers.business_date
    )
),

listed as (
    select * from window_facts as facts
    where not exists (
        select 1
        from churn_events
        where churn_events.customer_id = facts.customer_id
            and churn_events.business_date between facts.business_date - {{ window_days - 1 }} and facts.business_date
    )
),

-- Each signal day weighs by its recency, 1 on the date itself and 1/N on the window's first day; the weight
-- identifies the day, so summing the distinct weights counts each day once. The evidence is the latest
-- churn-risk utterance (first code in code order if it carries several).
watched as (
    select
        business_date,
        customer_id,
        min(fact_on) filter (where fact = 'signal') as first_signal_on,
        max(fact_on) filter (where fact = 'signal') as last_signal_on,
        count(distinct fact_on) filter (where fact = 'signal') as signal_days,
        count(distinct utterance_id) filter (where fact = 'signal') as signal_utterance_count,
        round(
            sum(distinct {{ window_days }} - (business_date - fact_on)) filter (where fact = 'signal') / {{ window_days }}.0,
            4
        ) as risk_score,
        max(fact_on) filter (where fact = 'contact') as last_contact_on,
        max(fact_at) filter (where fact = 'contact' and agent_id = rm_id) as last_rm_contact_at,
        {%- for column, source in [('evidence_on', 'fact_on'), ('evidence_at', 'fact_at'), ('evidence_utterance_id', 'utterance_id'),
                                   ('evidence_tag_code', 'tag_code'), ('evidence_tag_label', 'tag_label'), ('evidence_text', 'redacted_text')] %}
        (array_agg({{ source }} order by fact_at desc, utterance_id desc, tag_code) filter (where fact = 'signal'))[1] as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from listed
    group by business_date, customer_id
    having count(*) filter (where fact = 'signal') > 0
),

final as (
    select
        watched.business_date,
        watched.customer_id,
        customers.tier,
        tier_bands.tier as aum_band_tier,
        cast(coalesce(aum.total_aum, 0) as numeric(20, 2)) as total_aum,
        customers.segment,
        customers.branch_id,
        customers.rm_id,
        watched.first_signal_on,
        watched.last_signal_on,
        watched.business_date - watched.last_signal_on as days_since_signal,
        cast(watched.signal_days as integer) as signal_days,
        cast(watched.signal_utterance_count as integer) as signal_utterance_count,
        cast(watched.risk_score as numeric(8, 4)) as risk_score,
        cast(row_number() over (
            partition by watched.business_date
            order by watched.risk_score desc, coalesce(aum.total_aum, 0) desc, watched.customer_id
        ) as integer) as risk_rank,
        watched.last_contact_on,
        watched.business_date - watched.last_contact_on as days_since_contact,
        coalesce(watched.last_rm_contact_at > watched.evidence_at, false) as rm_contacted_after_signal,
        watched.evidence_tag_code,
        watched.evidence_tag_label,
        watched.evidence_on,
        watched.evidence_at,
        watched.evidence_utterance_id,
        watched.evidence_text
    from watched
    inner join customers
        on customers.business_date = watched.business_date
        and customers.customer_id = watched.customer_id
    -- a lookup per listed customer: the list is a few hundred of the day's thousands of customers
    left join lateral (
        select sum(aum_daily.aum_amount) as total_aum
        from {{ ref('stg_corebank__aum_daily') }} as aum_daily
        where aum_daily.business_date = watched.business_date
            and aum_daily.customer_id = watched.customer_id
    ) as aum on true
    inner join tier_bands
        on coalesce(aum.total_aum, 0) >= tier_bands.floor_aum
        and (tier_bands.ceiling_aum is null or coalesce(aum.total_aum, 0) < tier_bands.ceiling_aum)
)

select * from final
