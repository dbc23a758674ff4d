{#-
    A latest-state table, one row per customer × code, not a row per date: repeating every customer's profile
    every day would multiply the table by the number of dates for values that rarely change. A night rebuilds
    only the customers it touches — those who voiced a profile, preference or objection signal on the run's dates,
    and those whose objection reaches the end of its open period then — from their whole evidence history up to
    the run's last date. Every other customer's rows are still exact, so a history load and the nightly runs
    leave the same table.
-#}
{{
    config(
        unique_key=['customer_id', 'tag_code'],
        indexes=[{'columns': ['customer_id', 'tag_code'], 'unique': true}],
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where customer_id in (select customer_id from {{ ref('int_customer_signal_evidence') }} where business_date between {{ run_dates().first }} and {{ run_dates().last }} or business_date between {{ run_dates().first }} - " ~ (var('objection_open_days') | int) ~ " and {{ run_dates().last }} - " ~ (var('objection_open_days') | int) ~ "){% endif %}"
        ]
    )
}}

{%- set objection_days = var('objection_open_days') | int -%}
{#- a run recomputes the customers it touches; without dates, a command that writes nothing (docs) renders everything -#}
{%- set dates = run_dates() -%}
{%- if execute and is_incremental() and dates is none and writes_data() -%}
    {{ exceptions.raise_compiler_error("customer_profile: an incremental build needs VOC_DBT_DATE_FROM (and VOC_DBT_DATE_TO)") }}
{%- endif -%}
{%- set recompute_touched = is_incremental() and dates is not none %}

with

-- as of the last date the warehouse has built (the evidence's last date), never before the run's last date: a
-- re-run of an old date must not rewind the customers it touches to that date's state
bounds as (
    {%- if recompute_touched %}
    select greatest({{ dates.last }}, max(business_date)) as as_of_date
    from {{ ref('int_customer_signal_evidence') }}
    {%- else %}
    select max(business_date) as as_of_date from {{ ref('stg_corebank__customers') }}
    {%- endif %}
),

{%- if recompute_touched %}

touched_customers as (
    select distinct customer_id
    from {{ ref('int_customer_signal_evidence') }}
    where business_date between {{ dates.first }} and {{ dates.last }}
        or business_date between {{ dates.first }} - {{ objection_days }} and {{ dates.last }} - {{ objection_days }}
),
{%- endif %}

evidence as (
    select * from {{ ref('int_customer_signal_evidence') }}
    where business_date <= (select as_of_date from bounds)
    {%- if recompute_touched %}
        and customer_id in (select customer_id from touched_customers)
    {%- endif %}
),

profile_roles as (
    select role, signal_level, signal
    from {{ ref('signal_roles') }}
    where role in ('profile_dimension', 'open_objection')
),

role_evidence as (
    select profile_roles.role, evidence.*
    from evidence
    inner join profile_roles
        on (profile_roles.signal_level = 'code' and profile_roles.signal = evidence.tag_code)
        or (profile_roles.signal_level = 'dimension' and profile_roles.signal = evidence.tag_dimension)
        or (profile_roles.signal_level = 'family' and profile_roles.signal = evidence.tag_family)
),

-- a dimension's latest value is what the customer's latest utterance on it said: every code of that utterance
-- in the dimension (一个客户可同时偏好基金和保险)
ranked_values as (
    select
        role_evidence.*,
        dense_rank() over (
            partition by customer_id, tag_dimension
            order by occurred_at desc, utterance_id desc
        ) as recency
    from role_evidence
    where role = 'profile_dimension'
),

latest_values as (
    select 'latest_value' as entry_type, *
    from ranked_values
    where recency = 1
),

open_objections as (
    select distinct on (customer_id, tag_code)
        'open_objection' as entry_type, *
    from role_evidence
    where role = 'open_objection'
        and business_date > (select as_of_date from bounds) - {{ objection_days }}
    order by customer_id, tag_code, occurred_at desc, utterance_id desc
),

entries as (
    select entry_type, customer_id, tag_family, tag_dimension, tag_dimension_label, tag_code, tag_label,
        business_date, occurred_at, utterance_id, source_system, channel, redacted_text
    from latest_values
    union all
    select entry_type, customer_id, tag_family, tag_dimension, tag_dimension_label, tag_code, tag_label,
        business_date, occurred_at, utterance_id, source_system, channel, redacted_text
    from open_objections
),

final as (
    select
        customer_id,
        tag_code,
        entry_type,
        tag_family,
        tag_dimension,
        tag_dimension_label,
        tag_label,
        business_date,
        occurred_at as voiced_at,
        utterance_id as evidence_utterance_id,
        source_system as evidence_source,
        channel as evidence_channel,
        redacted_text as evidence_text
    from entries
)

select * from final
