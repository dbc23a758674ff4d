{{
    config(
        unique_key=['business_date', 'customer_id'],
        indexes=[{'columns': ['business_date', 'customer_id'], 'unique': true}]
    )
}}

{%- set families = ['profile', 'preference', 'objection', 'feedback', 'emotion', 'need', 'compliance'] -%}


with

customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter() }}
),

aum as (
    select * from {{ ref('int_customer_aum_summed') }}
    {{ incremental_date_filter() }}
),

utterances as (
    select * from {{ ref('int_customer_utterances_aggregated') }}
    {{ incremental_date_filter() }}
),

signals as (
    select * from {{ ref('int_customer_tags_aggregated') }}
    {{ incremental_date_filter() }}
),

churn_risk_signals as (
    select signal_level, signal from {{ ref('signal_roles') }} where role = 'churn_risk'
),

tickets as (
    select * from {{ ref('int_tickets_deduplicated') }}
    {{ incremental_date_filter('created_on') }}
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
        sum(signals.tag_count) filter (where signals.signal_level = 'family' and signals.signal = '{{ family }}') as {{ family }}_tag_count,
        {%- endfor %}
        bool_or(churn_risk_signals.signal is not null) as has_anxiety_signal,
        bool_or(signals.signal_level = 'family' and signals.signal = 'need') as has_hidden_need
    from signals
    left join churn_risk_signals
        on churn_risk_signals.signal_level = signals.signal_level
        and churn_risk_signals.signal = signals.signal
    where signals.spoken_by = 'customer'
    group by business_date, customer_id
),

tickets_per_customer as (
    select
        created_on as business_date,
        customer_id,
        count(*) as complaint_tickets_opened
    from tickets
    group by created_on, customer_id
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
        customers.segment,
        customers.branch_id,
        customers.rm_id,
        cast(coalesce(aum.total_aum, 0) as numeric(20, 2)) as total_aum,
        cast(coalesce(utterances.utterance_count, 0) as integer) as utterance_count,
        cast(coalesce(utterances.customer_utterance_count, 0) as integer) as customer_utterance_count,
        cast(coalesce(utterances.negative_utterance_count, 0) as integer) as negative_utterance_count,
        {%- for family in families %}
        cast(coalesce(signals_per_customer.{{ family }}_tag_count, 0) as integer) as {{ family }}_tag_count,
        {%- endfor %}
        coalesce(signals_per_customer.has_anxiety_signal, false) as has_anxiety_signal,
        coalesce(signals_per_customer.has_hidden_need, false) as has_hidden_need,
        cast(coalesce(tickets_per_customer.complaint_tickets_opened, 0) as integer) as complaint_tickets_opened,
        churn_per_customer.customer_id is not null as is_churned,
        cast(coalesce(holdings_per_customer.new_holdings_count, 0) as integer) as new_holdings_count,
        cast(coalesce(holdings_per_customer.new_holdings_amount, 0) as numeric(20, 2)) as new_holdings_amount
    from customers
    left join aum
        on aum.business_date = customers.business_date
        and aum.customer_id = customers.customer_id
    left join utterances
        on utterances.business_date = customers.business_date
        and utterances.customer_id = customers.customer_id
    left join signals_per_customer
        on signals_per_customer.business_date = customers.business_date
        and signals_per_customer.customer_id = customers.customer_id
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
