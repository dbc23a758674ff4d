-- customer_signals_daily has one <family>_tag_count column per family of the active taxonomy: a family the
-- taxonomy gained (no column: its tags would be dropped from the mart) or lost (a column that stays 0) fails here.
{%- set mart = ref('customer_signals_daily') %}

with

taxonomy_families as (
    select distinct tag_family from {{ ref('stg_tags__taxonomy_codes') }}
),

mart_families as (
    select left(column_name, length(column_name) - length('_tag_count')) as tag_family
    from information_schema.columns
    where table_schema = '{{ mart.schema }}'
        and table_name = '{{ mart.identifier }}'
        and column_name like '%\_tag\_count'
)

select
    coalesce(taxonomy_families.tag_family, mart_families.tag_family) as tag_family,
    case when mart_families.tag_family is null then 'no column in the mart' else 'not a family of the taxonomy' end as problem
from taxonomy_families
full outer join mart_families
    on mart_families.tag_family = taxonomy_families.tag_family
where taxonomy_families.tag_family is null
    or mart_families.tag_family is null
