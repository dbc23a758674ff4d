{{
    config(
        unique_key=['business_date', 'signal_level', 'signal'],
        indexes=[{'columns': ['business_date', 'signal_level', 'signal'], 'unique': true}]
    )
}}

{#-
    For each report date D (incremental: var business_date; full refresh: every date of the customer
    snapshot) and each signal (tag code or tag family) seen in the trailing window
    [D - signal_window_days + 1, D]: churn and cross-sell of the customers who voiced it versus everyone.
    Formulas are stated column by column in roi_signal_daily.yml.
-#}
{%- set window_days = var('signal_window_days') | int -%}
{%- set aum_margin_bps = var('aum_margin_bps') | float -%}
{%- set first_year_product_margin = var('first_year_product_margin') | float -%}
{%- if window_days < 1 -%}
    {{ exceptions.raise_compiler_error("var signal_window_days must be >= 1, got " ~ var('signal_window_days')) }}
{%- endif -%}

with

report_dates as (
    select distinct business_date
    from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter() }}
),

windows as (
    select
        business_date,
        business_date - {{ window_days - 1 }} as window_start_date
    from report_dates
),

-- inputs limited to the dates the run's windows can reach, so a night reads its window, not all history
customers as (
    select * from {{ ref('stg_corebank__customers') }}
    {{ incremental_date_filter(days_before=window_days - 1) }}
),

churn_events as (
    select * from {{ ref('stg_corebank__churn_events') }}
    {{ incremental_date_filter(days_before=window_days - 1) }}
),

holdings_opened as (
    select * from {{ ref('int_holdings_opened') }}
    {{ incremental_date_filter('opened_on', days_before=window_days - 1) }}
),

customer_aum as (
    select * from {{ ref('int_customer_aum_summed') }}
    {{ incremental_date_filter(days_before=window_days - 1) }}
),

customer_signals as (
    select * from (
        select * from {{ ref('int_customer_tags_aggregated') }}
        {{ incremental_date_filter(days_before=window_days - 1) }}
    ) windowed
    where signal_level in ('code', 'family')
),

tag_families as (
    select * from {{ ref('tag_families') }}
),

-- everyone in a customer snapshot on at least one date of the window (N)
population as (
    select distinct
        windows.business_date,
        customers.customer_id
    from windows
    inner join customers
        on customers.business_date between windows.window_start_date and windows.business_date
),

churned as (
    select distinct
        windows.business_date,
        churn_events.customer_id
    from windows
    inner join churn_events
        on churn_events.business_date between windows.window_start_date and windows.business_date
),

-- new holdings opened in the window by customers of the population
new_holdings as (
    select
        population.business_date,
        holdings_opened.customer_id,
        holdings_opened.opened_at,
        holdings_opened.holding_amount
    from population
    inner join windows
        on windows.business_date = population.business_date
    inner join holdings_opened
        on holdings_opened.customer_id = population.customer_id
        and holdings_opened.opened_on between windows.window_start_date and windows.business_date
),

-- per customer: the last new holding opened in the window (a conversion after time t exists iff it is later than t)
conversions as (
    select
        business_date,
        customer_id,
        max(opened_at) as last_new_holding_at
    from new_holdings
    group by business_date, customer_id
),

population_facts as (
    select
        population.business_date,
        population.customer_id,
        churned.customer_id is not null as is_churned,
        conversions.customer_id is not null as is_converted_in_window,
        conversions.last_new_holding_at
    from population
    left join churned
        on churned.business_date = population.business_date
        and churned.customer_id = population.customer_id
    left join conversions
        on conversions.business_date = population.business_date
        and conversions.customer_id = population.customer_id
),

population_stats as (
    select
        business_date,
        count(*) as customers_in_window,
        count(*) filter (where is_churned) as churned_in_window,
        count(*) filter (where is_converted_in_window) as converted_in_window
    from population_facts
    group by business_date
),

new_holding_stats as (
    select
        business_date,
        count(*) as new_holdings_in_window,
        avg(holding_amount) as avg_new_holding_amount
    from new_holdings
    group by business_date
),

-- each customer who voiced the signal in the window, with the first time they did
signal_customers as (
    select
        windows.business_date,
        customer_signals.signal_level,
        customer_signals.signal,
        customer_signals.tag_family,
        customer_signals.customer_id,
        min(customer_signals.business_date) as first_signal_date,
        min(customer_signals.first_signal_at) as first_signal_at
    from windows
    inner join customer_signals
        on customer_signals.business_date between windows.window_start_date and windows.business_date
    group by 1, 2, 3, 4, 5
),

signal_customer_facts as (
    select
        signal_customers.business_date,
        signal_customers.signal_level,
        signal_customers.signal,
        signal_customers.tag_family,
        signal_customers.customer_id,
        coalesce(customer_aum.total_aum, 0) as aum_at_first_signal,
        population_facts.is_churned,
        population_facts.is_converted_in_window,
        coalesce(population_facts.last_new_holding_at > signal_customers.first_signal_at, false)
            as is_converted_after_signal
    from signal_customers
    -- only customers of the population: a tagged customer id unknown to core banking is left out
    inner join population_facts
        on population_facts.business_date = signal_customers.business_date
        and population_facts.customer_id = signal_customers.customer_id
    left join customer_aum
        on customer_aum.business_date = signal_customers.first_signal_date
        and customer_aum.customer_id = signal_customers.customer_id
),

signal_stats as (
    select
        business_date,
        signal_level,
        signal,
        tag_family,
        count(*) as customers_with_signal,
        sum(aum_at_first_signal) as signal_aum,
        count(*) filter (where is_churned) as churned_with_signal,
        count(*) filter (where is_converted_after_signal) as converted_with_signal,
        count(*) filter (where is_converted_in_window) as converted_in_window_with_signal
    from signal_customer_facts
    group by business_date, signal_level, signal, tag_family
),

rates as (
    select
        signal_stats.business_date,
        windows.window_start_date,
        signal_stats.signal_level,
        signal_stats.signal,
        signal_stats.tag_family,
        population_stats.customers_in_window,
        population_stats.churned_in_window,
        signal_stats.customers_with_signal,
        signal_stats.signal_aum,
        signal_stats.churned_with_signal,
        signal_stats.converted_with_signal,
        population_stats.customers_in_window - signal_stats.customers_with_signal as control_customers,
        population_stats.converted_in_window - signal_stats.converted_in_window_with_signal as converted_control,
        coalesce(new_holding_stats.new_holdings_in_window, 0) as new_holdings_in_window,
        coalesce(new_holding_stats.avg_new_holding_amount, 0) as avg_new_holding_amount,
        -- p0, p_hat, conv_signal, conv_control: unrounded, the money columns are computed from these
        population_stats.churned_in_window::numeric / population_stats.customers_in_window as p0,
        signal_stats.churned_with_signal::numeric / signal_stats.customers_with_signal as p_hat,
        signal_stats.converted_with_signal::numeric / signal_stats.customers_with_signal as conv_signal,
        (population_stats.converted_in_window - signal_stats.converted_in_window_with_signal)::numeric
            / nullif(population_stats.customers_in_window - signal_stats.customers_with_signal, 0) as conv_control
    from signal_stats
    inner join windows
        on windows.business_date = signal_stats.business_date
    inner join population_stats
        on population_stats.business_date = signal_stats.business_date
    left join new_holding_stats
        on new_holding_stats.business_date = signal_stats.business_date
),

final as (
    select
        rates.business_date,
        rates.window_start_date,
        cast(rates.signal_level as text) as signal_level,
        rates.signal,
        rates.tag_family,
        tag_families.label_zh as tag_family_label,
        cast(rates.customers_in_window as integer) as customers_in_window,
        cast(rates.churned_in_window as integer) as churned_in_window,
        cast(round(rates.p0, 6) as numeric(10, 6)) as base_churn_rate,
        cast(rates.customers_with_signal as integer) as customers_with_signal,
        cast(rates.signal_aum as numeric(20, 2)) as signal_aum,
        cast(rates.churned_with_signal as integer) as churned_with_signal,
        cast(round(rates.p_hat, 6) as numeric(10, 6)) as signal_churn_rate,
        cast(round(rates.p_hat - rates.p0, 6) as numeric(10, 6)) as excess_churn_rate,
        cast({{ aum_margin_bps }} / 10000.0 as numeric(10, 6)) as aum_margin_rate,
        cast(round(
            rates.signal_aum * (rates.p_hat - rates.p0) * ({{ aum_margin_bps }} / 10000.0), 2
        ) as numeric(20, 2)) as aum_at_risk,
        cast(rates.converted_with_signal as integer) as converted_with_signal,
        cast(round(rates.conv_signal, 6) as numeric(10, 6)) as signal_conversion_rate,
        cast(rates.control_customers as integer) as control_customers,
        cast(rates.converted_control as integer) as converted_control,
        cast(round(rates.conv_control, 6) as numeric(10, 6)) as control_conversion_rate,
        cast(rates.new_holdings_in_window as integer) as new_holdings_in_window,
        cast(round(rates.avg_new_holding_amount, 2) as numeric(20, 2)) as avg_new_holding_amount,
        cast({{ first_year_product_margin }} as numeric(10, 6)) as first_year_product_margin,
        cast(round(
            rates.customers_with_signal
            * (rates.conv_signal - rates.conv_control)
            * {{ first_year_product_margin }}
            * rates.avg_new_holding_amount, 2
        ) as numeric(20, 2)) as cross_sell_uplift
    from rates
    left join tag_families
        on tag_families.tag_family = rates.tag_family
)

select * from final
