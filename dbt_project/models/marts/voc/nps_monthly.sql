{{
    config(
        unique_key=['as_of_month', 'segment', 'channel', 'measure'],
        indexes=[{'columns': ['as_of_month', 'segment', 'channel', 'measure'], 'unique': true}],
        pre_hook=["{{ delete_run_months('as_of_month') }}"]
    )
}}

{#-
    NPS, CSAT and CES per month × segment × channel, with 'all' rows for segment, channel and both (grouping
    sets), one row per measure with its n, 95 % interval and method. A month is built from all of its landed
    responses, so a night, a history load and a re-run leave the same rows (macros/iso_weeks.sql). Formulas
    in nps_monthly.yml.
-#}
{%- set csat_min = var('csat_scale_min') | float -%}
{%- set csat_max = var('csat_scale_max') | float -%}
{%- set ces_min = var('ces_scale_min') | float -%}
{%- set ces_max = var('ces_scale_max') | float -%}

with

responses as (
    select * from {{ ref('int_survey_responses_segmented') }}
    {{ incremental_period_filter('business_date', 'month') }}
),

cells as (
    select
        as_of_month,
        case when grouping(segment) = 1 then 'all' else segment end as segment,
        case when grouping(channel) = 1 then 'all' else channel end as channel,
        max(business_date) as last_response_date,
        count(*) filter (where survey_type = 'nps') as nps_responses,
        count(*) filter (where is_promoter) as promoters,
        count(*) filter (where is_detractor) as detractors,
        count(*) filter (where survey_type = 'csat') as csat_responses,
        count(*) filter (where is_satisfied) as csat_satisfied,
        avg(score) filter (where survey_type = 'csat') as csat_mean,
        stddev_samp(score) filter (where survey_type = 'csat') as csat_std_dev,
        count(*) filter (where survey_type = 'ces') as ces_responses,
        avg(score) filter (where survey_type = 'ces') as ces_mean,
        stddev_samp(score) filter (where survey_type = 'ces') as ces_std_dev
    from responses
    group by grouping sets (
        (as_of_month, segment, channel),
        (as_of_month, segment),
        (as_of_month, channel),
        (as_of_month)
    )
),

measures as (
    select
        as_of_month, segment, channel, last_response_date,
        'nps' as measure,
        nps_responses as responses,
        promoters as top_box_responses,
        detractors as bottom_box_responses,
        100.0 * (promoters - detractors) / nps_responses as estimate,
        100 * {{ voc_nps_low('promoters', 'detractors', 'nps_responses') }} as ci_low,
        100 * {{ voc_nps_high('promoters', 'detractors', 'nps_responses') }} as ci_high,
        cast(null as numeric) as score_std_dev,
        'MOVER (Zou & Donner 2008) of Wilson intervals of the promoter and detractor shares, multinomial correlation; 95%' as method
    from cells
    where nps_responses > 0

    union all

    select
        as_of_month, segment, channel, last_response_date,
        'csat_satisfied_share',
        csat_responses,
        csat_satisfied,
        null,
        100.0 * csat_satisfied / csat_responses,
        100 * {{ wilson_low('1.0 * csat_satisfied / csat_responses', 'csat_responses') }},
        100 * {{ wilson_high('1.0 * csat_satisfied / csat_responses', 'csat_responses') }},
        null,
        'Wilson score interval; 95%'
    from cells
    where csat_responses > 0

    union all

    select
        as_of_month, segment, channel, last_response_date,
        'csat_mean',
        csat_responses,
        null,
        null,
        csat_mean,
        {{ voc_mean_t_low('csat_mean', 'csat_std_dev', 'csat_responses', csat_min, csat_max) }},
        {{ voc_mean_t_high('csat_mean', 'csat_std_dev', 'csat_responses', csat_min, csat_max) }},
        csat_std_dev,
        'Student t (df = n - 1), clipped to the {{ csat_min | int }}-{{ csat_max | int }} scale; n = 1: whole scale; 95%'
    from cells
    where csat_responses > 0

    union all

    select
        as_of_month, segment, channel, last_response_date,
        'ces_mean',
        ces_responses,
        null,
        null,
        ces_mean,
        {{ voc_mean_t_low('ces_mean', 'ces_std_dev', 'ces_responses', ces_min, ces_max) }},
        {{ voc_mean_t_high('ces_mean', 'ces_std_dev', 'ces_responses', ces_min, ces_max) }},
        ces_std_dev,
        'Student t (df = n - 1), clipped to the {{ ces_min | int }}-{{ ces_max | int }} scale; n = 1: whole scale; 95%'
    from cells
    where ces_responses > 0
),

final as (
    select
        as_of_month,
        segment,
        channel,
        measure,
        cast(responses as integer) as responses,
        cast(top_box_responses as integer) as top_box_responses,
        cast(bottom_box_responses as integer) as bottom_box_responses,
        cast(round(cast(estimate as numeric), 4) as numeric(10, 4)) as estimate,
        cast(round(cast(ci_low as numeric), 4) as numeric(10, 4)) as ci_low,
        cast(round(cast(ci_high as numeric), 4) as numeric(10, 4)) as ci_high,
        cast(round(cast(score_std_dev as numeric), 4) as numeric(10, 4)) as score_std_dev,
        method,
        last_response_date
    from measures
)

select * from final
