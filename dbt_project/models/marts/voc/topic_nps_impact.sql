{{
    config(
        unique_key=['as_of_month', 'signal_level', 'signal'],
        indexes=[{'columns': ['as_of_month', 'signal_level', 'signal'], 'unique': true}],
        pre_hook=["{{ delete_run_months('as_of_month') }}"]
    )
}}

{#-
    Per month and customer-spoken tag on NPS survey comments (leaf code and dimension): how far the tag moves
    the month's NPS, impact = n_t × (NPS_t − NPS_all) / (N − n_t), which equals NPS_all minus the NPS of the
    month's other responses. Ranked most negative first. Formulas in topic_nps_impact.yml.
-#}

with

responses as (
    select * from (
        select * from {{ ref('int_survey_responses_segmented') }}
        {{ incremental_period_filter('business_date', 'month') }}
    ) in_run_months
    where survey_type = 'nps'
),

comment_signals as (
    select * from (
        select * from {{ ref('int_customer_utterances_tagged') }}
        {{ incremental_period_filter('business_date', 'month') }}
    ) in_run_months
    where source_system = 'survey'
),

signal_labels as (
    select signal_level, signal, signal_label from {{ ref('int_taxonomy_signals_listed') }}
),

month_totals as (
    select
        as_of_month,
        count(*) as nps_responses,
        count(*) filter (where is_promoter) as promoters,
        count(*) filter (where is_detractor) as detractors,
        max(business_date) as last_response_date
    from responses
    group by as_of_month
),

-- the comment of a response is the utterance 'survey:' || response_id of the same business date
topic_totals as (
    select
        responses.as_of_month,
        comment_signals.signal_level,
        comment_signals.signal,
        comment_signals.tag_family,
        count(*) as topic_responses,
        count(*) filter (where responses.is_promoter) as topic_promoters,
        count(*) filter (where responses.is_detractor) as topic_detractors
    from responses
    inner join comment_signals
        on comment_signals.business_date = responses.business_date
        and comment_signals.utterance_id = responses.utterance_id
    group by 1, 2, 3, 4
),

computed as (
    select
        topic_totals.as_of_month,
        topic_totals.signal_level,
        topic_totals.signal,
        topic_totals.tag_family,
        month_totals.nps_responses,
        month_totals.last_response_date,
        month_totals.promoters,
        month_totals.detractors,
        topic_totals.topic_responses,
        topic_totals.topic_promoters,
        topic_totals.topic_detractors,
        month_totals.nps_responses - topic_totals.topic_responses as other_responses,
        month_totals.promoters - topic_totals.topic_promoters as other_promoters,
        month_totals.detractors - topic_totals.topic_detractors as other_detractors
    from topic_totals
    inner join month_totals
        on month_totals.as_of_month = topic_totals.as_of_month
),

-- NPS as fractions with their intervals: of the whole month, of the tagged and of the other responses
fractions as (
    select
        computed.*,
        cast(promoters - detractors as double precision) / nps_responses as overall_fraction,
        cast(topic_promoters - topic_detractors as double precision) / topic_responses as topic_fraction,
        {{ voc_nps_low('topic_promoters', 'topic_detractors', 'topic_responses') }} as topic_low,
        {{ voc_nps_high('topic_promoters', 'topic_detractors', 'topic_responses') }} as topic_high,
        cast(other_promoters - other_detractors as double precision) / nullif(other_responses, 0) as other_fraction,
        {{ voc_nps_low('other_promoters', 'other_detractors', 'other_responses') }} as other_low,
        {{ voc_nps_high('other_promoters', 'other_detractors', 'other_responses') }} as other_high,
        cast(topic_responses as double precision) / nps_responses as topic_share
    from computed
),

-- impact = n_t × (NPS_t − NPS_all) / (N − n_t) = (n_t / N) × (NPS_t − NPS_other); its interval is the MOVER
-- interval of the difference of the two independent groups' NPS, scaled by n_t / N
impacts as (
    select
        fractions.*,
        case
            when other_responses > 0
                then topic_responses * (topic_fraction - overall_fraction) / other_responses
        end as impact_fraction,
        case
            when other_responses > 0
                then topic_share * {{ mover_difference_low('topic_fraction', 'topic_low', 'topic_high', 'other_fraction', 'other_low', 'other_high') }}
        end as impact_low,
        case
            when other_responses > 0
                then topic_share * {{ mover_difference_high('topic_fraction', 'topic_low', 'topic_high', 'other_fraction', 'other_low', 'other_high') }}
        end as impact_high
    from fractions
),

final as (
    select
        impacts.as_of_month,
        impacts.signal_level,
        impacts.signal,
        signal_labels.signal_label,
        impacts.tag_family,
        cast(impacts.nps_responses as integer) as nps_responses,
        cast(round(cast(100 * impacts.overall_fraction as numeric), 4) as numeric(10, 4)) as overall_nps,
        cast(impacts.topic_responses as integer) as topic_responses,
        cast(impacts.topic_promoters as integer) as topic_promoters,
        cast(impacts.topic_detractors as integer) as topic_detractors,
        cast(round(cast(100 * impacts.topic_fraction as numeric), 4) as numeric(10, 4)) as topic_nps,
        cast(round(cast(100 * impacts.topic_low as numeric), 4) as numeric(10, 4)) as topic_nps_ci_low,
        cast(round(cast(100 * impacts.topic_high as numeric), 4) as numeric(10, 4)) as topic_nps_ci_high,
        cast(round(cast(100 * impacts.impact_fraction as numeric), 4) as numeric(10, 4)) as nps_impact,
        cast(round(cast(100 * impacts.impact_low as numeric), 4) as numeric(10, 4)) as nps_impact_ci_low,
        cast(round(cast(100 * impacts.impact_high as numeric), 4) as numeric(10, 4)) as nps_impact_ci_high,
        cast(row_number() over (
            partition by impacts.as_of_month, impacts.signal_level
            order by impacts.impact_fraction asc nulls last, impacts.signal
        ) as integer) as impact_rank,
        'NPS_t: MOVER (Zou & Donner 2008) of Wilson intervals of the promoter and detractor shares; impact: '
            || 'n_t / N x MOVER interval of NPS_t - NPS_other (independent groups); 95%' as method,
        impacts.last_response_date
    from impacts
    left join signal_labels
        on signal_labels.signal_level = impacts.signal_level
        and signal_labels.signal = impacts.signal
)

select * from final
