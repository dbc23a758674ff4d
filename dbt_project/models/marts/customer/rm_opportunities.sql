{{
    config(
        unique_key=['business_date', 'customer_id'],
        indexes=[{'columns': ['business_date', 'customer_id'], 'unique': true}]
    )
}}

{%- set window_days = var('rm_opportunity_days') | int -%}
{%- set objection_days = var('objection_open_days') | int -%}
{#- how the customer likes to be served: one column per role of seed signal_roles, its latest value as of the date -#}
{%- set preference_roles = ['contact_time', 'contact_method', 'preferred_product', 'preferred_term', 'preferred_risk'] %}

with

customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter() }}
),

tier_bands as (
    select * from {{ ref('tier_bands') }}
),

role_codes as (
    select role, tag_code from {{ ref('int_signal_role_codes') }}
    where role in ('rm_opportunity', 'open_objection', {% for role in preference_roles %}'{{ role }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

opportunity_evidence as (
    select * from {{ ref('int_customer_signal_evidence') }}
    where tag_code in (select tag_code from role_codes where role = 'rm_opportunity')
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

-- Each date's customers with what the window ending that day holds for them: their opportunity utterances and
-- their conversations. One stream aggregated once per customer and date: joining per-customer aggregates to
-- each other makes the planner (which cannot see how many customers are listed) loop over one per row of the
-- other. A customer who left inside the window is no opportunity.
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
    inner join opportunity_evidence as evidence
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
        from opportunity_evidence as evidence
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

-- the latest opportunity utterance is the evidence (first code in code order if it carries several); the labels
-- of all codes voiced in the window in byte order (collation "C", the same on every server)
opportunities as (
    select
        business_date,
        customer_id,
        min(fact_on) filter (where fact = 'signal') as first_signal_on,
        max(fact_on) filter (where fact = 'signal') as last_signal_on,
        string_agg(distinct tag_label collate "C", '、' order by tag_label collate "C") filter (where fact = 'signal') as opportunity_labels,
        max(fact_at) filter (where fact = 'contact' and agent_id = rm_id) as last_rm_contact_at,
        {%- for column, source in [('signal_at', 'fact_at'), ('signal_utterance_id', 'utterance_id'), ('signal_tag_code', 'tag_code'),
                                   ('signal_tag_label', 'tag_label'), ('signal_text', 'redacted_text')] %}
        (array_agg({{ source }} order by fact_at desc, utterance_id desc, tag_code) filter (where fact = 'signal'))[1] as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from listed
    group by business_date, customer_id
    having count(*) filter (where fact = 'signal') > 0
),

preference_codes as (
    select role, tag_code from role_codes
    where role in ('open_objection', {% for role in preference_roles %}'{{ role }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

final as (
    select
        opportunities.business_date,
        opportunities.customer_id,
        customers.tier,
        tier_bands.tier as aum_band_tier,
        cast(coalesce(aum.total_aum, 0) as numeric(20, 2)) as total_aum,
        cast(round(coalesce(aum.total_aum, 0) * {{ var('rm_potential_share') }}, 2) as numeric(20, 2)) as aum_potential,
        cast(row_number() over (
            partition by opportunities.business_date
            order by coalesce(aum.total_aum, 0) desc, opportunities.last_signal_on desc, opportunities.customer_id
        ) as integer) as opportunity_rank,
        customers.segment,
        customers.branch_id,
        customers.rm_id,
        opportunities.opportunity_labels,
        opportunities.first_signal_on,
        opportunities.last_signal_on,
        opportunities.business_date - opportunities.last_signal_on as days_since_signal,
        opportunities.signal_tag_code,
        opportunities.signal_tag_label,
        opportunities.signal_at,
        opportunities.signal_utterance_id,
        opportunities.signal_text,
        {%- for role in preference_roles %}
        preferences.{{ role }},
        {%- endfor %}
        preferences.open_objections,
        coalesce(opportunities.last_rm_contact_at > opportunities.signal_at, false) as rm_contacted_after_signal
    from opportunities
    inner join customers
        on customers.business_date = opportunities.business_date
        and customers.customer_id = opportunities.customer_id
    -- lookups per listed customer (a few hundred of the day's thousands): the day's AUM, and their preferences as
    -- of the date — for each role the labels of their latest utterance on it, from their whole history — and
    -- their objections of the last var objection_open_days days
    left join lateral (
        select sum(aum_daily.aum_amount) as total_aum
        from {{ ref('stg_corebank__aum_daily') }} as aum_daily
        where aum_daily.business_date = opportunities.business_date
            and aum_daily.customer_id = opportunities.customer_id
    ) as aum on true
    left join lateral (
        select
            {%- for role in preference_roles %}
            string_agg(ranked.tag_label, '、' order by ranked.tag_code) filter (where ranked.role = '{{ role }}' and ranked.recency = 1) as {{ role }},
            {%- endfor %}
            string_agg(ranked.tag_label, '、' order by ranked.tag_code) filter (
                where ranked.role = 'open_objection'
                    and ranked.code_recency = 1
                    and ranked.business_date > opportunities.business_date - {{ objection_days }}
            ) as open_objections
        from (
            select
                preference_codes.role,
                evidence.tag_code,
                evidence.tag_label,
                evidence.business_date,
                dense_rank() over (
                    partition by preference_codes.role order by evidence.occurred_at desc, evidence.utterance_id desc
                ) as recency,
                row_number() over (
                    partition by preference_codes.role, evidence.tag_code order by evidence.occurred_at desc, evidence.utterance_id desc
                ) as code_recency
            from {{ ref('int_customer_signal_evidence') }} as evidence
            inner join preference_codes
                on preference_codes.tag_code = evidence.tag_code
            where evidence.customer_id = opportunities.customer_id
                and evidence.business_date <= opportunities.business_date
        ) as ranked
    ) as preferences on true
    inner join tier_bands
        on coalesce(aum.total_aum, 0) >= tier_bands.floor_aum
        and (tier_bands.ceiling_aum is null or coalesce(aum.total_aum, 0) < tier_bands.ceiling_aum)
)

select * from final
