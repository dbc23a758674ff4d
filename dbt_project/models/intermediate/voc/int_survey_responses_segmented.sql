-- Survey responses with the customer's segment on the response date and the NPS / CSAT classes of the score,
-- shared by the NPS marts. The segment comes from the core-banking snapshot of the response's own business
-- date: a customer who changes segment is counted where they were when they answered.

{%- set promoter_min = var('nps_promoter_min_score') | int %}
{%- set detractor_max = var('nps_detractor_max_score') | int %}
{%- set satisfied_min = var('csat_satisfied_min_score') | int %}

with

responses as (
    select * from {{ ref('stg_survey__responses') }}
),

customers as (
    select * from {{ ref('stg_corebank__customers') }}
),

segmented as (
    select
        responses.business_date,
        {{ period_start('month', 'responses.business_date') }} as as_of_month,
        {{ period_start('week', 'responses.business_date') }} as iso_week_start,
        responses.response_id,
        -- the tagger's id of the response's comment (stg_tags__utterances, source_system 'survey')
        'survey:' || responses.response_id as utterance_id,
        responses.customer_id,
        coalesce(customer.segment, 'unknown') as segment,
        responses.channel,
        responses.survey_type,
        responses.score,
        case when responses.survey_type = 'nps' then responses.score >= {{ promoter_min }} end as is_promoter,
        case when responses.survey_type = 'nps' then responses.score <= {{ detractor_max }} end as is_detractor,
        case when responses.survey_type = 'csat' then responses.score >= {{ satisfied_min }} end as is_satisfied,
        responses.submitted_at
    from responses
    -- looked up by the snapshot's key per response (offset 0 keeps it from being flattened into a join that
    -- scans the whole snapshot history): a mart filtering on business_date reads only those dates' customers
    left join lateral (
        select customers.segment
        from customers
        where customers.business_date = responses.business_date
            and customers.customer_id = responses.customer_id
        offset 0
    ) as customer on true
)

select * from segmented
