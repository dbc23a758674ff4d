{{
    config(
        unique_key=['as_of_month', 'category', 'branch_id', 'metric'],
        indexes=[{'columns': ['as_of_month', 'category', 'branch_id', 'metric'], 'unique': true}],
        pre_hook=[
            "{% if is_incremental() %}{% set dates = run_dates() %}
                delete from {{ this }} where as_of_month
                    between cast(date_trunc('month', {{ dates.first }} - {{ var('sla_lookback_days') | int }}) as date)
                    and {{ dates.last }}
            {% endif %}"
        ]
    )
}}

{#-
    SLA breach rates (投诉时效达标率) per creation month × category × branch, with the 'all' roll-ups, from
    complaint_sla. A run changes the SLA rows of the tickets created in the lookback before its dates, so it
    rebuilds every month that lookback touches, whole. Formulas: complaint_sla_monthly.yml.
-#}
{%- set lookback = var('sla_lookback_days') | int -%}
{%- set dates = run_dates() -%}
{%- if is_incremental() and execute and dates is none and writes_data() -%}
    {{ exceptions.raise_compiler_error("an incremental build needs the business dates to rebuild: set "
        ~ "VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO for a range); or rebuild everything with --full-refresh") }}
{%- endif -%}

with

sla as (
    select * from {{ ref('complaint_sla') }}
    {%- if is_incremental() %}
    -- every ticket of the months the pre-hook deleted, whatever run last wrote it
    where business_date >= cast(date_trunc('month', {{ dates.first }} - {{ lookback }}) as date)
        and business_date < cast(date_trunc('month', {{ dates.last }}) + interval '1 month' as date)
    {%- endif %}
),

-- one row per ticket and metric; flag null = not judged yet (pending) or not applicable
flags as (
    select
        cast(date_trunc('month', sla.business_date) as date) as as_of_month,
        sla.category,
        sla.branch_id,
        sla.is_final,
        metrics.metric,
        metrics.flag
    from sla
    cross join lateral (
        values
            ('first_response_breach', sla.first_response_breached),
            ('resolution_breach', sla.resolution_breached),
            ('revisit_breach', sla.revisit_breached),
            ('regulatory_breach', sla.regulatory_breached),
            ('any_breach', sla.any_breached),
            ('revisited', case when sla.first_resolved_at is not null then sla.is_revisited end),
            ('repeat_complaint', sla.is_repeat_complaint)
    ) as metrics (metric, flag)
),

counted as (
    select
        as_of_month,
        case when grouping(category) = 1 then 'all' else category end as category,
        case when grouping(branch_id) = 1 then 'all' else branch_id end as branch_id,
        metric,
        count(*) as n_tickets,
        count(flag) as n,
        count(*) filter (where flag) as breaches,
        bool_and(is_final) as is_final
    from flags
    group by grouping sets (
        (as_of_month, metric, category, branch_id),
        (as_of_month, metric, category),
        (as_of_month, metric, branch_id),
        (as_of_month, metric)
    )
),

final as (
    select
        as_of_month,
        cast(category as text) as category,
        cast(branch_id as text) as branch_id,
        cast(metric as text) as metric,
        cast(n_tickets as integer) as n_tickets,
        cast(n as integer) as n,
        cast(breaches as integer) as breaches,
        cast(round(breaches::numeric / nullif(n, 0), 6) as numeric(10, 6)) as rate,
        -- 95 % Wilson score interval (macros/intervals.sql); null when nothing is decided yet
        cast(round(cast(case when n > 0 then {{ wilson_low('cast(breaches as double precision) / n', 'n') }} end
            as numeric), 6) as numeric(10, 6)) as ci_low,
        cast(round(cast(case when n > 0 then {{ wilson_high('cast(breaches as double precision) / n', 'n') }} end
            as numeric), 6) as numeric(10, 6)) as ci_high,
        is_final
    from counted
)

select * from final
