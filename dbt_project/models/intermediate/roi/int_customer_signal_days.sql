{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['business_date'],
        on_schema_change='fail',
        pre_hook=["{{ delete_run_dates() }}"],
        indexes=[
            {'columns': ['business_date']},
            {'columns': ['customer_id', 'signal', 'business_date']}
        ]
    )
}}

{#-
    The days on which a customer voiced a signal in their own words, at the three levels: a table kept night
    by night, because every effect month looks back over up to a year of them and computing that year from the
    tags view would cost seconds every night.
-#}

with

customer_tags as (
    select * from {{ ref('int_customer_tags_aggregated') }}
    {{ incremental_date_filter() }}
),

final as (
    select
        business_date,
        customer_id,
        cast(signal_level as text) as signal_level,
        signal
    from customer_tags
    where spoken_by = 'customer'
)

select * from final
