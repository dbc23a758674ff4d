{#-
    Tier history without a dbt snapshot: a snapshot records what the table looked like when it happened to run,
    so a history load and nightly runs would leave different histories. Each month's row here is a function of
    the data up to that month's end, and the history columns (previous tier, spell start) come from the rows of
    the months before, read back from this table on a nightly run.
-#}
{{
    config(
        unique_key=['as_of_month', 'customer_id'],
        pre_hook=["{{ delete_run_months('as_of_month') }}"],
        indexes=[{'columns': ['as_of_month', 'customer_id'], 'unique': true}]
    )
}}

{%- set upgrade_months = var('upgrade_months') | int -%}
{%- set lookback_months = var('at_risk_lookback_months') | int -%}
{%- set months_back = [upgrade_months, lookback_months, 1] | max -%}
{#- a run rebuilds its months; without dates, a command that writes nothing (docs, compile) renders everything -#}
{%- set dates = run_dates() -%}
{%- if execute and is_incremental() and dates is none and writes_data() -%}
    {{ exceptions.raise_compiler_error("customer_tiering: an incremental build needs VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO)") }}
{%- endif -%}
{%- set rebuild_run_months = is_incremental() and dates is not none %}

with

-- first month to rebuild and the last day of the run's last month: a month's row is built from all of its data
-- landed so far, so a re-run of an older date (backfill) does not cut its month back to that date
bounds as (
    {%- if rebuild_run_months %}
    select
        cast(date_trunc('month', {{ dates.first }}) as date) as first_month,
        cast(date_trunc('month', {{ dates.last }}) + interval '1 month' - interval '1 day' as date) as last_date
    {%- else %}
    select
        cast(date_trunc('month', min(business_date)) as date) as first_month,
        max(business_date) as last_date
    from {{ ref('stg_corebank__customers') }}
    {%- endif %}
),

months as (
    select cast(month_start as date) as as_of_month
    from bounds
    cross join generate_series(bounds.first_month, bounds.last_date, interval '1 month') as month_start
),

-- a month's end is its last business date landed: the month being built tonight ends tonight
month_ends as (
    select months.as_of_month, month_end.business_date
    from months
    cross join bounds
    cross join lateral (
        select max(customers.business_date) as business_date
        from {{ ref('stg_corebank__customers') }} as customers
        where customers.business_date >= months.as_of_month
            and customers.business_date < months.as_of_month + interval '1 month'
            and customers.business_date <= bounds.last_date
    ) as month_end
    where month_end.business_date is not null
),

-- lateral (and kept apart by offset 0), so that each month end is an index lookup of its date rather than a
-- scan of every date
customers as (
    select month_ends.as_of_month, snapshot.*
    from month_ends
    cross join lateral (
        select * from {{ ref('stg_corebank__customers') }} as customers
        where customers.business_date = month_ends.business_date
        offset 0
    ) as snapshot
),

aum as (
    select month_ends.as_of_month, aum_daily.customer_id, sum(aum_daily.aum_amount) as total_aum
    from month_ends
    cross join lateral (
        select customer_id, aum_amount from {{ ref('stg_corebank__aum_daily') }} as aum_daily
        where aum_daily.business_date = month_ends.business_date
        offset 0
    ) as aum_daily
    group by month_ends.as_of_month, aum_daily.customer_id
),

tier_bands as (
    select * from {{ ref('tier_bands') }}
),

churn_risk_codes as (
    select tag_code from {{ ref('int_signal_role_codes') }} where role = 'churn_risk'
),

churn_risk_evidence as (
    select * from {{ ref('int_customer_signal_evidence') }}
    where tag_code in (select tag_code from churn_risk_codes)
        and business_date > (select first_month from bounds) - {{ var('at_risk_signal_days') | int }}
        and business_date <= (select last_date from bounds)
),

last_churn_signals as (
    select month_ends.as_of_month, churn_risk_evidence.customer_id, max(churn_risk_evidence.business_date) as last_churn_signal_on
    from month_ends
    inner join churn_risk_evidence
        on churn_risk_evidence.business_date > month_ends.business_date - {{ var('at_risk_signal_days') | int }}
        and churn_risk_evidence.business_date <= month_ends.business_date
    group by month_ends.as_of_month, churn_risk_evidence.customer_id
),

churn_events as (
    select month_ends.as_of_month, churn_events.customer_id, min(churn_events.business_date) as churned_on
    from month_ends
    inner join {{ ref('stg_corebank__churn_events') }} as churn_events
        on churn_events.business_date >= month_ends.as_of_month
        and churn_events.business_date <= month_ends.business_date
    group by month_ends.as_of_month, churn_events.customer_id
),

run_rows as (
    select
        customers.as_of_month,
        customers.business_date,
        customers.customer_id,
        customers.tier,
        customers.segment,
        customers.branch_id,
        customers.rm_id,
        customers.opened_on,
        coalesce(aum.total_aum, 0) as month_end_aum,
        tier_bands.tier as aum_tier,
        tier_bands.tier_rank,
        last_churn_signals.last_churn_signal_on,
        churn_events.churned_on
    from customers
    left join aum
        on aum.as_of_month = customers.as_of_month
        and aum.customer_id = customers.customer_id
    inner join tier_bands
        on coalesce(aum.total_aum, 0) >= tier_bands.floor_aum
        and (tier_bands.ceiling_aum is null or coalesce(aum.total_aum, 0) < tier_bands.ceiling_aum)
    left join last_churn_signals
        on last_churn_signals.as_of_month = customers.as_of_month
        and last_churn_signals.customer_id = customers.customer_id
    left join churn_events
        on churn_events.as_of_month = customers.as_of_month
        and churn_events.customer_id = customers.customer_id
),

-- the months before the run as this table holds them: growth, spell start and churn date carry over from them
series as (
    select
        as_of_month, customer_id, month_end_aum, aum_tier, tier_rank, churned_on,
        true as is_run_month,
        cast(null as numeric) as stored_aum_growth,
        cast(null as date) as stored_tier_valid_from
    from run_rows
    {%- if rebuild_run_months %}
    union all
    select
        as_of_month, customer_id, month_end_aum, aum_tier, tier_rank, churned_on,
        false as is_run_month,
        aum_growth as stored_aum_growth,
        tier_valid_from as stored_tier_valid_from
    from {{ this }}
    where as_of_month >= (select first_month from bounds) - interval '{{ months_back }} months'
        and as_of_month < (select first_month from bounds)
    {%- endif %}
),

lagged as (
    select
        series.*,
        lag(as_of_month) over by_month = cast(as_of_month - interval '1 month' as date) as follows_previous_month,
        lag(month_end_aum) over by_month as lag_aum,
        lag(aum_tier) over by_month as lag_tier,
        lag(tier_rank) over by_month as lag_tier_rank,
        max(month_end_aum) over (
            by_month range between interval '{{ lookback_months }} months' preceding and interval '1 month' preceding
        ) as highest_previous_aum,
        min(churned_on) over (by_month rows between unbounded preceding and current row) as first_churned_on
    from series
    window by_month as (partition by customer_id order by as_of_month)
),

grown as (
    select
        lagged.*,
        case when follows_previous_month then lag_aum end as previous_month_end_aum,
        case when follows_previous_month then lag_tier end as previous_tier,
        case when follows_previous_month then lag_tier_rank end as previous_tier_rank,
        case
            when not is_run_month then stored_aum_growth
            when follows_previous_month and lag_aum > 0 then round(month_end_aum / lag_aum - 1, 6)
        end as aum_growth,
        -- a new spell starts at the first month of the series and wherever the tier or the month sequence breaks
        case when follows_previous_month and lag_tier = aum_tier then 0 else 1 end as starts_spell
    from lagged
),

spells as (
    select
        grown.*,
        sum(starts_spell) over (partition by customer_id order by as_of_month rows unbounded preceding) as spell_no,
        count(*) filter (where aum_growth > {{ var('upgrade_growth') }}) over (
            partition by customer_id order by as_of_month
            range between interval '{{ upgrade_months - 1 }} months' preceding and current row
        ) as growth_months_in_window
    from grown
),

final as (
    select
        spells.as_of_month,
        spells.customer_id,
        run_rows.business_date,
        run_rows.tier,
        run_rows.segment,
        run_rows.branch_id,
        run_rows.rm_id,
        run_rows.opened_on,
        cast(spells.month_end_aum as numeric(20, 2)) as month_end_aum,
        spells.aum_tier,
        spells.tier_rank,
        cast(spells.previous_month_end_aum as numeric(20, 2)) as previous_month_end_aum,
        cast(spells.aum_growth as numeric(12, 6)) as aum_growth,
        spells.growth_months_in_window >= {{ upgrade_months }} as upgrade_candidate,
        spells.previous_tier,
        coalesce(spells.previous_tier <> spells.aum_tier, false) as tier_changed,
        spells.tier_rank - spells.previous_tier_rank as tier_rank_change,
        first_value(coalesce(spells.stored_tier_valid_from, spells.as_of_month)) over (
            partition by spells.customer_id, spells.spell_no order by spells.as_of_month
        ) as tier_valid_from,
        cast(spells.highest_previous_aum as numeric(20, 2)) as highest_previous_aum,
        cast(case when spells.highest_previous_aum > 0
            then round(1 - spells.month_end_aum / spells.highest_previous_aum, 6) end as numeric(12, 6)) as aum_fall_share,
        run_rows.last_churn_signal_on,
        spells.first_churned_on as churned_on,
        spells.is_run_month
    from spells
    left join run_rows
        on run_rows.as_of_month = spells.as_of_month
        and run_rows.customer_id = spells.customer_id
)

select
    as_of_month,
    customer_id,
    business_date,
    tier,
    segment,
    branch_id,
    rm_id,
    opened_on,
    month_end_aum,
    aum_tier,
    tier_rank,
    previous_month_end_aum,
    aum_growth,
    upgrade_candidate,
    previous_tier,
    tier_changed,
    tier_rank_change,
    tier_valid_from,
    highest_previous_aum,
    aum_fall_share,
    last_churn_signal_on,
    churned_on,
    case
        when churned_on is not null then 'churned'
        when last_churn_signal_on is not null or aum_fall_share > {{ var('at_risk_aum_fall') }} then 'at_risk'
        when opened_on > business_date - interval '{{ var("lifecycle_new_months") | int }} months' then 'new'
        else 'mature'
    end as lifecycle_stage
from final
where is_run_month
