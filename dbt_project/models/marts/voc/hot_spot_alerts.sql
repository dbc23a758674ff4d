{{
    config(
        unique_key=['iso_week_start', 'signal_level', 'signal'],
        indexes=[{'columns': ['iso_week_start', 'signal_level', 'signal'], 'unique': true}],
        pre_hook=["{{ delete_run_weeks('iso_week_start') }}"]
    )
}}

{#-
    Hot spots (热点预警): per ISO week and watched customer-spoken signal (leaf code and dimension), the
    customers voicing it this week against the week before; an alert when the volume reaches
    hot_spot_min_volume, grows by hot_spot_min_growth and the exact Poisson rate-ratio test (macros/
    poisson_test.sql) gives p < hot_spot_alpha. A week is built from all of its landed data (and the whole week
    before), so a night, a history load and a re-run leave the same rows (macros/iso_weeks.sql). Formulas in
    hot_spot_alerts.yml.
-#}
{%- set min_growth = var('hot_spot_min_growth') | float -%}
{%- set min_volume = var('hot_spot_min_volume') | int -%}
{%- set alpha = var('hot_spot_alpha') | float -%}
{%- set due_hours = var('hot_spot_due_hours') | int -%}
{%- set sample_count = var('hot_spot_sample_utterances') | int -%}

with

-- business dates of the core-banking snapshot (the marts' calendar): the exposure of each week
calendar as (
    select distinct business_date
    from {{ ref('stg_corebank__customers') }}
    {{ incremental_period_filter('business_date', 'week', periods_before=1) }}
),

calendar_weeks as (
    select
        {{ period_start('week', 'business_date') }} as iso_week_start,
        count(*) as exposure_days,
        max(business_date) as data_through_date
    from calendar
    group by 1
),

-- the weeks this run builds; an incremental run reads the week before its first week only to compare
report_weeks as (
    select
        calendar_weeks.iso_week_start,
        calendar_weeks.exposure_days,
        calendar_weeks.data_through_date,
        coalesce(previous_weeks.exposure_days, 0) as previous_exposure_days
    from calendar_weeks
    left join calendar_weeks as previous_weeks
        on previous_weeks.iso_week_start = calendar_weeks.iso_week_start - 7
    {{ incremental_week_filter('calendar_weeks.iso_week_start') }}
),

-- materialized: a few dozen rows, read once instead of once per tagged utterance
watched_signals as materialized (
    select * from {{ ref('int_hot_spot_signals_owned') }}
),

-- customer-spoken utterances carrying a watched signal in the run's weeks and the week before
voicings as (
    select
        {{ period_start('week', 'tagged.business_date') }} as iso_week_start,
        tagged.signal_level,
        tagged.signal,
        watched_signals.signal_label,
        watched_signals.tag_family,
        watched_signals.owner_department,
        tagged.customer_id,
        tagged.business_date,
        tagged.utterance_id,
        tagged.occurred_at,
        tagged.redacted_text
    from (
        select * from {{ ref('int_customer_utterances_tagged') }}
        {{ incremental_period_filter('business_date', 'week', periods_before=1) }}
    ) as tagged
    inner join watched_signals
        on watched_signals.signal_level = tagged.signal_level
        and watched_signals.signal = tagged.signal
),

-- volume = distinct customers voicing the signal in the week (one talkative customer is one voice)
weekly_volumes as (
    select
        iso_week_start,
        signal_level,
        signal,
        signal_label,
        tag_family,
        owner_department,
        count(distinct customer_id) as voicing_customers,
        count(*) as voicing_utterances
    from voicings
    group by iso_week_start, signal_level, signal, signal_label, tag_family, owner_department
),

-- the week before from the same signal's previous row, when that row is the week just before (no self-join)
compared as (
    select
        report_weeks.iso_week_start,
        sequenced.signal_level,
        sequenced.signal,
        sequenced.signal_label,
        sequenced.tag_family,
        sequenced.owner_department,
        report_weeks.data_through_date,
        report_weeks.exposure_days,
        report_weeks.previous_exposure_days,
        sequenced.voicing_customers,
        sequenced.voicing_utterances,
        case
            when sequenced.prior_week_start = report_weeks.iso_week_start - 7 then sequenced.prior_voicing_customers
            else 0
        end as previous_voicing_customers
    from (
        select
            weekly_volumes.*,
            lag(iso_week_start) over signal_weeks as prior_week_start,
            lag(voicing_customers) over signal_weeks as prior_voicing_customers
        from weekly_volumes
        window signal_weeks as (partition by signal_level, signal order by iso_week_start)
    ) as sequenced
    inner join report_weeks
        on report_weeks.iso_week_start = sequenced.iso_week_start
),

-- materialized: the exact p-value is a subquery per row, computed once here however the rows are joined later
tested as materialized (
    select
        compared.*,
        {{ poisson_rate_ratio_p_value(
            'compared.voicing_customers', 'compared.previous_voicing_customers',
            'compared.exposure_days', 'compared.previous_exposure_days') }} as p_value,
        case
            when compared.previous_voicing_customers > 0 and compared.previous_exposure_days > 0
                then (cast(compared.voicing_customers as double precision) / compared.exposure_days)
                    / (cast(compared.previous_voicing_customers as double precision) / compared.previous_exposure_days)
                    - 1
        end as growth_rate,
        -- growth of the daily rate, n1 / t1 >= (1 + g) × n0 / t0: the volumes themselves for two whole weeks
        compared.voicing_customers >= {{ min_volume }}
            and compared.voicing_customers * compared.previous_exposure_days
                >= (1 + {{ min_growth }}) * compared.previous_voicing_customers * compared.exposure_days
            as is_volume_rule_met
    from compared
),

flagged as (
    select
        tested.*,
        tested.is_volume_rule_met and tested.p_value < {{ alpha }} as is_alert,
        tested.p_value * count(*) over (partition by tested.iso_week_start)
            / row_number() over (
                partition by tested.iso_week_start order by tested.p_value, tested.signal_level, tested.signal
            ) as p_value_scaled
    from tested
),

-- Benjamini–Hochberg: q = the smallest p × m / rank over this and every larger p of the week (m = rows tested)
adjusted as (
    select
        flagged.*,
        least(1.0, min(flagged.p_value_scaled) over (
            partition by flagged.iso_week_start
            order by flagged.p_value desc, flagged.signal_level desc, flagged.signal desc
            rows between unbounded preceding and current row
        )) as q_value
    from flagged
),

-- each customer voicing a signal in a built week: the last date they voiced it and their latest utterance
-- carrying it (ties by utterance id), in one pass; the AUM at risk and the sample utterances read these rows
customer_voicings as (
    select distinct on (voicings.iso_week_start, voicings.signal_level, voicings.signal, voicings.customer_id)
        voicings.iso_week_start,
        voicings.signal_level,
        voicings.signal,
        voicings.customer_id,
        max(voicings.business_date) over (
            partition by voicings.iso_week_start, voicings.signal_level, voicings.signal, voicings.customer_id
        ) as last_voiced_on,
        voicings.utterance_id,
        voicings.occurred_at,
        voicings.redacted_text
    from voicings
    inner join report_weeks
        on report_weeks.iso_week_start = voicings.iso_week_start
    order by
        voicings.iso_week_start, voicings.signal_level, voicings.signal, voicings.customer_id,
        voicings.occurred_at desc, voicings.utterance_id desc
),

-- AUM at risk: each voicing customer's total AUM (Σ over product types, as int_customer_aum_summed) on the
-- last date they voiced the signal that week, read per (date, customer) from the balances' key
customer_balances as (
    select * from {{ ref('stg_corebank__aum_daily') }}
    {{ incremental_period_filter('business_date', 'week') }}
),

aum_at_risk as (
    select
        customer_voicings.iso_week_start,
        customer_voicings.signal_level,
        customer_voicings.signal,
        coalesce(sum(customer_balances.aum_amount), 0) as aum_at_risk
    from customer_voicings
    left join customer_balances
        on customer_balances.business_date = customer_voicings.last_voiced_on
        and customer_balances.customer_id = customer_voicings.customer_id
    group by 1, 2, 3
),

-- sample utterances: the latest of the voicing customers' latest utterances, one per customer
samples as (
    select
        iso_week_start,
        signal_level,
        signal,
        jsonb_agg(
            jsonb_build_object('utterance_id', utterance_id, 'redacted_text', redacted_text)
            order by occurred_at desc, utterance_id desc
        ) as sample_utterances
    from (
        select
            customer_voicings.*,
            row_number() over (
                partition by iso_week_start, signal_level, signal
                order by occurred_at desc, utterance_id desc
            ) as sample_rank
        from customer_voicings
    ) as ranked_voicings
    where sample_rank <= {{ sample_count }}
    group by iso_week_start, signal_level, signal
),

ranked as (
    select
        adjusted.*,
        coalesce(aum_at_risk.aum_at_risk, 0) as aum_at_risk,
        row_number() over (
            partition by adjusted.iso_week_start, adjusted.is_alert
            order by coalesce(aum_at_risk.aum_at_risk, 0) desc, adjusted.voicing_customers desc,
                adjusted.signal_level, adjusted.signal
        ) as rank_in_week,
        -- detection at the end of the last business date the row has seen (the week's end once complete)
        cast(adjusted.data_through_date + 1 as timestamp) at time zone '{{ var("business_timezone") }}'
            as data_closed_at
    from adjusted
    left join aum_at_risk
        on aum_at_risk.iso_week_start = adjusted.iso_week_start
        and aum_at_risk.signal_level = adjusted.signal_level
        and aum_at_risk.signal = adjusted.signal
),

final as (
    select
        ranked.iso_week_start,
        ranked.iso_week_start + 6 as iso_week_end,
        to_char(ranked.iso_week_start, 'IYYY-"W"IW') as iso_week,
        ranked.signal_level,
        ranked.signal,
        ranked.signal_label,
        ranked.tag_family,
        ranked.owner_department,
        ranked.data_through_date,
        ranked.data_through_date = ranked.iso_week_start + 6 as is_week_complete,
        cast(ranked.exposure_days as integer) as exposure_days,
        cast(ranked.previous_exposure_days as integer) as previous_exposure_days,
        cast(ranked.voicing_customers as integer) as voicing_customers,
        cast(ranked.previous_voicing_customers as integer) as previous_voicing_customers,
        cast(ranked.voicing_utterances as integer) as voicing_utterances,
        cast(round(cast(ranked.growth_rate as numeric), 4) as numeric(12, 4)) as growth_rate,
        cast(round(cast(ranked.p_value as numeric), 12) as numeric(14, 12)) as p_value,
        cast(round(cast(ranked.q_value as numeric), 12) as numeric(14, 12)) as q_value,
        ranked.is_alert,
        cast(ranked.aum_at_risk as numeric(20, 2)) as aum_at_risk,
        cast(case when ranked.is_alert then ranked.rank_in_week end as integer) as alert_rank,
        case when ranked.is_alert then ranked.data_closed_at end as detected_at,
        case
            when ranked.is_alert then ranked.data_closed_at + interval '{{ due_hours }} hours'
        end as due_at,
        case when ranked.is_alert then samples.sample_utterances end as sample_utterances
    from ranked
    left join samples
        on samples.iso_week_start = ranked.iso_week_start
        and samples.signal_level = ranked.signal_level
        and samples.signal = ranked.signal
)

select * from final
